import { startPeerdist, type RunningPeerdist } from '../peerdist/service.js';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { listenTcp } from '../net/sockets.js';
import { asBootlabError } from '../shared/errors.js';
import { createBootHttpServer, type BootHttpServer } from './server.js';
import type { HttpReport } from './views.js';
import { httpBaseUrl } from '../shared/address.js';

/** The HTTP boot server: iPXE scripts, kernels, ISOs from the boot root (see server.ts for the routes). */
export class HttpService implements BootService {
  readonly name = 'http' as const;
  private http: BootHttpServer | undefined;
  private peerdist: RunningPeerdist | null = null;
  private ctx: ServiceContext | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const { port, fallbackPort } = ctx.profile.http;
    const address = ctx.network.address;
    let bound = port;
    const http = createBootHttpServer({
      config: ctx.profile.http,
      bootRoot: ctx.bootRoot,
      runtime: ctx.runtime,
      log: ctx.log,
      report: {
        checkin: (event) => ctx.bus.emit('http.checkin', event),
        download: (event) => ctx.bus.emit('http.download', event),
      },
      // Content encodings before the static files: the PeerDist origin (services/peerdist) when it runs.
      fileHooks: [
        (req, res, path, client) =>
          ctx.runtime.peerdistOrigin?.(req, res, path, client) ?? Promise.resolve(false),
      ],
      httpBase: () => httpBaseUrl(address, bound),
      serverAddress: () => address,
    });
    let note = '';
    try {
      bound = await listenTcp(http.server, { service: 'HTTP boot server', address, port });
    } catch (err) {
      // No right to bind 80: fall back to 8080 and say so, rather than failing the whole start.
      if (asBootlabError(err).code !== 'PORT_NEEDS_PRIVILEGE' || fallbackPort === port) throw err;
      bound = await listenTcp(http.server, { service: 'HTTP boot server', address, port: fallbackPort });
      note = ` (port ${port} needs administrator rights, using ${bound})`;
    }
    this.http = http;
    this.ctx = ctx;
    ctx.runtime.httpPort = bound;
    this.peerdist = await startPeerdist(ctx); // PeerDist origin hook + hosted cache (services/peerdist)
    const auth = ctx.profile.http.auth.length;
    const base = httpBaseUrl(address, bound);
    const summary =
      `${base} serves ${ctx.bootRoot}${note}` +
      (auth ? `; ${auth} protected path${auth > 1 ? 's' : ''}` : '');
    return { listening: [`tcp ${address}:${bound}`], summary };
  }

  /** The typed report the supervisor hands the API. */
  report(): HttpReport {
    const ctx = this.ctx;
    return {
      httpBase: ctx?.runtime.httpBase() ?? '',
      bootRoot: ctx?.bootRoot ?? '',
      protectedPaths: ctx?.profile.http.auth.length ?? 0,
    };
  }

  async stop(): Promise<void> {
    await this.peerdist?.stop();
    this.peerdist = null;
    await this.http?.close();
    if (this.ctx) this.ctx.runtime.httpPort = null;
    this.http = undefined;
    this.ctx = undefined;
  }
}
