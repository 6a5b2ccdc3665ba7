import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_HEADER, TOKEN_QUERY } from './contract.js';

/**
 * The control API's three gates. Host: a DNS-rebinding page reaches us with its own host name, so only
 * loopback names (or an explicitly allowed remote-admin host) pass. Origin: a browser sends it on
 * cross-site requests and on every WebSocket; only our own origin passes. Token: a random per-launch
 * secret on every /api request, so no other local program or page can drive the services.
 */
export interface GuardOptions {
  token: string;
  /** The port the API listens on (Host and Origin must name it). */
  port: number;
  /** Extra host names allowed (remote admin, explicitly enabled). */
  extraHosts?: string[];
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHost(hostHeader: string | undefined, opts: GuardOptions): boolean {
  if (!hostHeader) return false;
  const names = [...LOOPBACK_NAMES, ...(opts.extraHosts ?? [])];
  return names.some((name) => hostHeader.toLowerCase() === `${name}:${opts.port}`);
}

/** A missing Origin is fine (curl, same-origin GET); a present one must be our own. */
export function allowedOrigin(originHeader: string | undefined, opts: GuardOptions): boolean {
  if (originHeader === undefined) return true;
  const names = [...LOOPBACK_NAMES, ...(opts.extraHosts ?? [])];
  return names.some((name) => originHeader.toLowerCase() === `http://${name}:${opts.port}`);
}

export function tokenFromRequest(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get(TOKEN_QUERY) ?? undefined;
}

export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
