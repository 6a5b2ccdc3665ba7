import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EVENTS_PROTOCOL, TOKEN_HEADER, TOKEN_PROTOCOL_PREFIX } from './contract.js';

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

/**
 * HTTP routes: the token is read from the X-Bootlab-Token header only. Not from the query (a URL ends up
 * in logs, history and Referer headers), not from a cookie (a browser attaches it to cross-site requests),
 * not from Authorization (one place, so a misplaced token fails loudly instead of half-working).
 */
export function tokenFromRequest(req: IncomingMessage): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  return typeof header === 'string' ? header : undefined;
}

/**
 * The event WebSocket: browsers cannot set headers on a WebSocket, but they can offer subprotocols
 * (RFC 6455 4.1, Sec-WebSocket-Protocol). The client offers EVENTS_PROTOCOL plus
 * `TOKEN_PROTOCOL_PREFIX + token`; the server answers with EVENTS_PROTOCOL only, so the token is never
 * echoed and never part of a URL. Exactly one token entry is accepted.
 */
export function tokenFromWebSocket(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const offered = header.split(',').map((p) => p.trim());
  if (!offered.includes(EVENTS_PROTOCOL)) return undefined;
  const tokens = offered.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  if (tokens.length !== 1) return undefined;
  return tokens[0]!.slice(TOKEN_PROTOCOL_PREFIX.length);
}

export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
