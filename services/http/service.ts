import { createServer, type Server } from 'node:http';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { closeTcp, listenTcp } from '../net/sockets.js';
import { asBootlabError } from '../core/errors.js';

/** Placeholder: listens and answers 404. The HTTP issue replaces it with the real boot server. */
export class HttpService implements BootService {
  readonly name = 'http' as const;
  private server: Server | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const { port, fallbackPort } = ctx.profile.http;
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
    let bound: number;
    let summary: string | undefined;
    try {
      bound = await listenTcp(server, { service: 'HTTP boot server', address: ctx.network.address, port });
    } catch (err) {
      // No right to bind 80: fall back to 8080 and say so, rather than failing the whole start.
      if (asBootlabError(err).code !== 'PORT_NEEDS_PRIVILEGE' || fallbackPort === port) throw err;
      bound = await listenTcp(server, { service: 'HTTP boot server', address: ctx.network.address, port: fallbackPort });
      summary = `port ${port} needs administrator rights, using ${bound}`;
    }
    this.server = server;
    ctx.runtime.httpPort = bound;
    return { listening: [`tcp ${ctx.network.address}:${bound}`], summary };
  }

  async stop(): Promise<void> {
    await closeTcp(this.server);
    this.server = undefined;
  }
}
