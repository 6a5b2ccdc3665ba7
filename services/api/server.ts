import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { resolveInBootRoot } from '../core/boot-root.js';
import type { EventBus } from '../core/bus.js';
import { plain, serveDiskFile, statusFor } from '../http/static-files.js';
import { asBootlabError, BootlabError, type ErrorCode } from '../shared/errors.js';
import type { ApiError, EventsMessage } from './contract.js';
import { EVENTS_PATH, EVENTS_PROTOCOL } from './contract.js';
import { EventCoalescer } from './coalescer.js';
import { isForwarded } from './contract-events.js';
import {
  allowedHost,
  allowedOrigin,
  tokenFromRequest,
  tokenFromWebSocket,
  tokenMatches,
  type GuardOptions,
} from './guards.js';
import type { Router } from './router.js';
import { listenTcp } from '../net/sockets.js';

export interface ApiServerOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  router: Router<any>;
  bus: EventBus;
  token: string;
  /** Built UI (dist/renderer); served without the token, it holds no secrets. */
  uiDir: string;
  address?: string;
  port: number;
  extraHosts?: string[];
}

const MAX_BODY = 1024 * 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  CONFIG_INVALID: 400,
  NOT_FOUND: 404,
  DHCP_SERVER_PRESENT: 409,
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The control API: HTTP routes under /api, the live event WebSocket, and the static UI. */
export class ApiServer {
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private wssLoading: Promise<WebSocketServer> | undefined;
  private guard: GuardOptions = { token: '', port: 0 };
  private token: string;
  port = 0;

  constructor(private readonly opts: ApiServerOptions) {
    this.token = opts.token;
  }

  /** A rotated token takes effect at once; open event feeds with the old one are closed. */
  setToken(token: string): void {
    this.token = token;
    this.guard = { ...this.guard, token };
    for (const client of this.wss?.clients ?? []) client.close(4001, 'token rotated');
  }

  /** Listens on `port` (default: the configured one); may be called again after a failed attempt. */
  async start(port: number = this.opts.port): Promise<number> {
    const address = this.opts.address ?? '127.0.0.1';
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.sendError(res, asBootlabError(err)));
    });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ok =
        url.pathname === EVENTS_PATH &&
        allowedHost(req.headers.host, this.guard) &&
        allowedOrigin(req.headers.origin, this.guard) &&
        tokenMatches(tokenFromWebSocket(req), this.token);
      if (!ok) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.eventSocketServer().then(
        (wss) => wss.handleUpgrade(req, socket, head, (ws) => this.attachEvents(ws)),
        () => socket.destroy(),
      );
    });
    this.port = await listenTcp(this.server, { service: 'control API', address, port });
    this.guard = { token: this.token, port: this.port, extraHosts: this.opts.extraHosts };
    return this.port;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  /**
   * The event feed's WebSocket server, made on the first connection: `ws` (with the zlib and TLS parts it
   * loads) is ~4.6 MiB of a host nobody watches yet (docs/decisions.md, "Performance (issue 18)").
   */
  private eventSocketServer(): Promise<WebSocketServer> {
    this.wssLoading ??= import('ws').then(
      ({ WebSocketServer }) =>
        (this.wss = new WebSocketServer({
          noServer: true,
          maxPayload: 64 * 1024,
          // Answer with the feed's protocol, never with the token entry the client offered beside it.
          handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
        })),
    );
    return this.wssLoading;
  }

  private attachEvents(ws: WebSocket): void {
    const coalescer = new EventCoalescer((events) => {
      if (ws.readyState !== ws.OPEN) return;
      // A UI that cannot keep up gets fewer, larger batches rather than an unbounded queue.
      if (ws.bufferedAmount > 8 * 1024 * 1024) return;
      const message: EventsMessage = { events };
      ws.send(JSON.stringify(message));
    });
    // Only what the UI subscribes to (contract-events.ts); raw wire events stay in the host.
    const off = this.opts.bus.onAny((event) => {
      if (isForwarded(event.type)) coalescer.push(event);
    });
    ws.on('close', () => {
      off();
      coalescer.close();
    });
    ws.on('message', () => {}); // the feed is one-way; ignore anything the client sends
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!allowedHost(req.headers.host, this.guard)) {
      return this.sendJson(
        res,
        403,
        errorBody(
          'HOST_REFUSED',
          `Requests for host "${req.headers.host ?? ''}" are refused.`,
          'Open Bootlab at the address it printed (http://127.0.0.1:PORT).',
        ),
      );
    }
    if (!allowedOrigin(req.headers.origin, this.guard)) {
      return this.sendJson(
        res,
        403,
        errorBody(
          'ORIGIN_REFUSED',
          `Requests from ${req.headers.origin} are refused.`,
          'Only the Bootlab window itself may use this API.',
        ),
      );
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return this.handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.sendJson(res, 405, errorBody('METHOD', 'Only GET is served here.', ''));
    }
    return this.serveUi(req, res, url);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    if (!tokenMatches(tokenFromRequest(req), this.token)) {
      return this.sendJson(
        res,
        401,
        errorBody(
          'UNAUTHORIZED',
          'This request has no valid Bootlab token.',
          'Open Bootlab with the full address it printed, including #token=….',
        ),
      );
    }
    const found = this.opts.router.match(req.method ?? 'GET', url.pathname);
    if (!('entry' in found)) {
      return found.methodMismatch
        ? this.sendJson(res, 405, errorBody('METHOD', `${req.method} is not allowed on ${url.pathname}.`, ''))
        : this.sendJson(res, 404, errorBody('NOT_FOUND', `There is no API route ${url.pathname}.`, ''));
    }
    const body = await readJsonBody(req);
    const result = await this.opts.router.run(found.entry, found.params, url.searchParams, body);
    this.sendJson(res, 200, result);
  }

  private async serveUi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('content-security-policy', CSP);
    // Hashed asset files exist on disk; anything else is the single-page app's index.
    let target = 'index.html';
    if (url.pathname.startsWith('/assets/')) {
      try {
        target = decodeURIComponent(url.pathname.slice(1));
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path\n');
        return;
      }
    }
    const found = await resolveInBootRoot(this.opts.uiDir, target);
    if (!found.ok && target === 'index.html') {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The Bootlab UI is not built. Run "npm run build" and start Bootlab again.\n');
      return;
    }
    if (!found.ok) {
      plain(res, statusFor(found.reason), found.message); // the boot server's refusal answer
      return;
    }
    // index.html names the hashed assets of this build: always asked again (a 304 when unchanged).
    serveDiskFile(req, res, found.path, found.stat);
  }

  private sendError(res: ServerResponse, err: BootlabError): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.sendJson(res, STATUS_BY_CODE[err.code] ?? 500, { error: err.toJSON() });
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

function errorBody(code: string, message: string, hint: string): ApiError {
  return { error: { code, message, hint } };
}

/** Reads a JSON body (at most 1 MiB); undefined when there is none. */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new BootlabError('BAD_REQUEST', 'The request body is larger than 1 MiB.', 'Send a smaller body.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new BootlabError(
      'BAD_REQUEST',
      'The request body must be JSON.',
      'Send it with content-type: application/json.',
    );
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BootlabError(
      'BAD_REQUEST',
      'The request body is not valid JSON.',
      'Correct the JSON and send it again.',
    );
  }
}
