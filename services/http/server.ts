import { scriptCheckin } from '../stats/script-checkin.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CheckinEvent, HttpDownloadEvent } from '../shared/events.js';
import type { Logger } from '../core/logger.js';
import type { Runtime } from '../core/runtime.js';
import { Authenticator, ruleFor } from './auth.js';
import { renderBootScript, type ScriptContext } from './boot-script.js';
import { CHECKIN_REPLY, parseCheckin } from './checkin.js';
import { parseClientQuery } from './client-query.js';
import type { HttpConfig } from './config.js';
import { clientAddress, trackDownload } from './download-tracker.js';
import { BOOT_SCRIPT_PATH, CHECKIN_PATH, FIRST_STAGE_PATH, firstStageScript } from '../ipxe/chain.js';
import { plain, serveStatic } from './static-files.js';

/**
 * The boot HTTP server's request handling: routes (/boot.ipxe, /first-stage.ipxe, /checkin, files),
 * authentication for protected prefixes, download tracking. No bus: what happens is reported through
 * `report`, and service.ts puts it on the bus. The Node server is created here but bound by service.ts
 * (so tests and the benchmark can run it on 127.0.0.1:0).
 */

/** What the handler reports (service.ts turns these into `http.checkin` and `http.download` events). */
export interface BootHttpReports {
  checkin(event: CheckinEvent): void;
  download(event: HttpDownloadEvent): void;
}

/**
 * A handler tried before the boot folder's files, in order; it answers and returns true, or returns false
 * to let the next one (and finally the static files) serve. The place for content encodings such as the
 * PeerDist origin (services/peerdist/origin.ts).
 */
export type FileHook = (
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  client: string,
) => Promise<boolean>;

export interface BootHttpDeps {
  config: HttpConfig;
  bootRoot: string;
  runtime: Runtime;
  log: Logger;
  report: BootHttpReports;
  /** Tried before the static files (see FileHook). */
  fileHooks?: readonly FileHook[];
  /** Where clients reach us, e.g. "http://10.77.0.1:8080" (set once the port is known). */
  httpBase(): string;
  /** The address iPXE should send syslog to (the boot interface's address). */
  serverAddress(): string;
}

export interface BootHttpServer {
  server: Server;
  /** Closes the listener and every open connection (keep-alive ones too). */
  close(): Promise<void>;
  counters: { requests: number; badRequests: number; refused: number; errors: number };
}

function splitUrl(raw: string): { path: string; query: string } | undefined {
  let target = raw;
  if (!target.startsWith('/')) {
    // absolute-form (RFC 9112 §3.2.2): take path and query from it
    try {
      const u = new URL(target);
      target = u.pathname + u.search;
    } catch {
      return undefined;
    }
  }
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  try {
    return { path: decodeURIComponent(rawPath), query };
  } catch {
    return undefined; // broken %-escape
  }
}

export function createBootHttpServer(deps: BootHttpDeps): BootHttpServer {
  const counters = { requests: 0, badRequests: 0, refused: 0, errors: 0 };
  const auth = new Authenticator();
  const log = deps.log;
  const sockets = new Set<Socket>();

  /**
   * Base URL for links in scripts: the address the client used to reach us (Host header), which it can
   * certainly reach again (QEMU user networking, NAT, a second address), else the configured one.
   */
  const baseFor = (req: IncomingMessage): string => {
    const host = req.headers.host;
    if (host && /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host)) return `http://${host.replace(/:80$/, '')}`;
    return deps.httpBase();
  };

  const scriptContext = (req: IncomingMessage): ScriptContext => ({
    httpBase: baseFor(req),
    serverAddress: deps.serverAddress(),
    syslogPort: deps.runtime.syslogPort,
    peerHost: deps.runtime.peerHost,
  });

  const sendScript = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  /** Only GET and HEAD: the boot server serves files and scripts, nothing else. */
  const refuseMethod = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method === 'GET' || req.method === 'HEAD') return false;
    plain(
      res,
      405,
      `Method ${req.method ?? '?'} is not allowed; the boot server only answers GET and HEAD.`,
      {
        Allow: 'GET, HEAD',
      },
    );
    return true;
  };

  /** Protected prefixes (config http.auth): true when the request may go on. */
  const authorized = (req: IncomingMessage, res: ServerResponse, path: string, client: string): boolean => {
    const rule = ruleFor(deps.config.auth, path);
    if (!rule) return true;
    const verdict = auth.check(rule, req.method ?? 'GET', req.url ?? '/', req.headers.authorization);
    if (verdict.ok) return true;
    if (req.headers.authorization) log.info(`HTTP: ${client} was refused ${path}: ${verdict.reason}`);
    plain(res, 401, 'This file needs a user name and password.', { 'WWW-Authenticate': verdict.challenges });
    return false;
  };

  /** GET /checkin: a script reports what the machine does (services/ipxe/checkin.ts writes those lines). */
  const serveCheckin = (req: IncomingMessage, res: ServerResponse, query: string, client: string): void => {
    const event = parseCheckin(query, client, (ip) => deps.runtime.macFor(ip));
    if (event) deps.report.checkin(event);
    else counters.badRequests++;
    sendScript(req, res, CHECKIN_REPLY);
  };

  /** /boot.ipxe and /first-stage.ipxe; false for any other path. */
  const serveScript = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: { path: string; query: string },
    client: string,
  ): Promise<boolean> => {
    if (
      url.path === BOOT_SCRIPT_PATH &&
      url.query === '' &&
      /^iPXE\//.test(req.headers['user-agent'] ?? '')
    ) {
      // iPXE asked for /boot.ipxe without its identity (a DHCP file name, an embedded `chain …/boot.ipxe`):
      // answer with the first stage, which asks again with the settings in the query (one extra round trip).
      sendScript(req, res, firstStageScript(baseFor(req)));
      return true;
    }
    if (url.path === BOOT_SCRIPT_PATH) {
      const info = parseClientQuery(url.query, client, (ip) => deps.runtime.macFor(ip));
      deps.report.checkin(scriptCheckin(info, client)); // statistics: identity (make, model, serial)
      const script = await renderBootScript(info, deps.runtime.bootScript, scriptContext(req), (err) =>
        log.warn(
          `HTTP: the boot menu for ${info.mac ?? client} failed (${err instanceof Error ? err.message : String(err)}); sent the built-in script.`,
        ),
      );
      sendScript(req, res, script);
      return true;
    }
    if (url.path === FIRST_STAGE_PATH) {
      sendScript(req, res, firstStageScript(baseFor(req)));
      return true;
    }
    return false;
  };

  /** Everything else: the file hooks (PeerDist origin…), then the boot folder's files. */
  const serveFile = async (req: IncomingMessage, res: ServerResponse, path: string, client: string) => {
    for (const hook of deps.fileHooks ?? []) if (await hook(req, res, path, client)) return;
    await serveStatic(req, res, path, client, {
      bootRoot: deps.bootRoot,
      runtime: deps.runtime,
      directoryListing: deps.config.directoryListing,
      warn: (m) => log.warn(m),
    });
    if (res.statusCode === 403) counters.refused++;
  };

  /** One request, step by step: method, URL, password, check-in, then (tracked) scripts or files. */
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.requests++;
    const client = clientAddress(req);
    if (refuseMethod(req, res)) return;
    const url = splitUrl(req.url ?? '/');
    if (!url) {
      counters.badRequests++;
      plain(res, 400, 'Bad request: the URL has a broken percent-escape.');
      return;
    }
    if (!authorized(req, res, url.path, client)) return;
    if (url.path === CHECKIN_PATH) return serveCheckin(req, res, url.query, client);
    trackDownload(req, res, url.path, {
      emit: (ev) => deps.report.download(ev),
      macFor: (ip) => deps.runtime.macFor(ip),
      progressPerSecond: deps.config.progressPerSecond,
    });
    if (await serveScript(req, res, url, client)) return;
    await serveFile(req, res, url.path, client);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      counters.errors++;
      log.error(
        `HTTP: request ${req.method} ${req.url} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      plain(res, 500, 'Internal error in the Bootlab boot server; the Bootlab log has details.');
    });
  });
  // iPXE keeps connections open between downloads (Connection: keep-alive, src/net/tcp/httpconn.c pool).
  server.keepAliveTimeout = deps.config.keepAliveSeconds * 1000;
  server.headersTimeout = Math.max(20_000, server.keepAliveTimeout + 1000);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // Malformed requests (bad request line, oversized headers) end with a 400, never an exception.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    counters.badRequests++;
    if (socket.writable && err.code !== 'ECONNRESET')
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return { server, close, counters };
}
