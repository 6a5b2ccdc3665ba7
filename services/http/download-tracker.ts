import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpDownloadEvent } from '../shared/events.js';
import { hostOfAddress } from '../shared/address.js';

export interface TrackerDeps {
  emit(event: HttpDownloadEvent): void;
  macFor(ip: string): string | undefined;
  /** Progress events per second per download, at most. */
  progressPerSecond: number;
  now?: () => number;
}

let nextId = 1;

/** The client's IPv4 address (services/shared/address.ts strips Node's "::ffff:" prefix). */
export function clientAddress(req: IncomingMessage): string {
  return hostOfAddress(req.socket.remoteAddress);
}

/**
 * Reports one response on the bus as `http.download`: start (when the status line goes out), progress (at
 * most `progressPerSecond` a second, measured on body bytes handed to the socket, so it follows
 * backpressure), and end: "completed" when the whole response was flushed, "aborted" when the connection
 * closed first. Works for any response writer (send, the multipart module, scripts) by wrapping
 * res.write/res.end, so nothing else needs to know about tracking.
 */
export function trackDownload(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: TrackerDeps,
): void {
  const now = deps.now ?? Date.now;
  const id = `h${(nextId++).toString(36)}`;
  const client = clientAddress(req);
  const began = now();
  const minGap = 1000 / deps.progressPerSecond;
  let bytesSent = 0;
  let started = false;
  let lastProgress = began;
  let finished = false;

  const snapshot = (phase: HttpDownloadEvent['phase']): HttpDownloadEvent => {
    const durationMs = now() - began;
    const lengthHeader = Number(res.getHeader('content-length'));
    const mac = deps.macFor(client);
    return {
      id,
      phase,
      client,
      ...(mac ? { mac } : {}),
      path,
      method: req.method ?? 'GET',
      status: res.statusCode,
      bytesSent,
      ...(Number.isFinite(lengthHeader) && req.method !== 'HEAD' ? { total: lengthHeader } : {}),
      ...(typeof res.getHeader('content-range') === 'string'
        ? { range: String(res.getHeader('content-range')) }
        : {}),
      durationMs,
      bytesPerSecond: durationMs > 0 ? Math.round((bytesSent * 1000) / durationMs) : 0,
      userAgent: req.headers['user-agent'],
    };
  };
  const start = (): void => {
    if (started) return;
    started = true;
    deps.emit(snapshot('start'));
  };
  const count = (chunk: unknown, encoding?: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk === 'string')
      bytesSent += Buffer.byteLength(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    else if (chunk instanceof Uint8Array) bytesSent += chunk.byteLength;
  };

  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]): boolean => {
    start();
    count(args[0], args[1]);
    const t = now();
    if (t - lastProgress >= minGap) {
      lastProgress = t;
      deps.emit(snapshot('progress'));
    }
    return write(...args);
  };
  (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (
    ...args: unknown[]
  ): ServerResponse => {
    start();
    count(args[0], args[1]);
    return end(...args);
  };
  res.once('finish', () => {
    finished = true;
  });
  res.once('close', () => {
    start();
    deps.emit({ ...snapshot('end'), result: finished || res.writableFinished ? 'completed' : 'aborted' });
  });
}
