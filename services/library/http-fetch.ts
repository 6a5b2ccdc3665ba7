import { createWriteStream, promises as fsp } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP(S) GET into a file, resuming with `Range: bytes=<have>-` (RFC 9110 §14.2) when part of the file
 * is already there. `If-Range` carries the validator seen earlier (ETag, else Last-Modified), so a file
 * that changed on the server is downloaded again from the start instead of being spliced (§13.1.5).
 * Follows up to 5 redirects. A stall of `idleMs` without data aborts. Never buffers the body in memory.
 */

export class FetchError extends Error {
  constructor(
    message: string,
    /** false when trying again (or another mirror) cannot help, e.g. 404. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface FetchResult {
  /** Full size of the file when the server said it. */
  total: number | null;
  validator?: string;
}

export interface FetchOptions {
  /** Bytes already in `file` (0 for a fresh download). */
  offset: number;
  validator?: string;
  signal?: AbortSignal;
  idleMs?: number;
  /** Called with the bytes written so far (offset included), after every chunk. */
  onData?: (bytes: number, total: number | null) => void;
  /** Most bytes accepted (a size cap for small files such as checksum lists). */
  maxBytes?: number;
}

function get(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<http.IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!mod) return Promise.reject(new FetchError(`${url.protocol} URLs are not supported`, false));
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { headers: { 'user-agent': 'Bootlab', ...headers }, signal }, resolve);
    req.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.name === 'AbortError' ? e : new FetchError(`${url.host}: ${e.code ?? e.message}`, true)),
    );
  });
}

export async function fetchToFile(urlText: string, file: string, opts: FetchOptions): Promise<FetchResult> {
  let url = new URL(urlText);
  let offset = opts.offset;
  for (let hop = 0; hop < 6; hop++) {
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (opts.validator) headers['if-range'] = opts.validator;
    }
    const res = await get(url, headers, opts.signal);
    const status = res.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
      res.resume();
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status === 416 && offset > 0) {
      // Nothing past what we have: the file is complete (checked by its hash next).
      res.resume();
      const m = /\/(\d+)$/.exec(res.headers['content-range'] ?? '');
      return { total: m ? Number(m[1]) : offset, validator: opts.validator };
    }
    if (status !== 200 && status !== 206) {
      res.resume();
      throw new FetchError(
        `${url.host} answered HTTP ${status}`,
        status >= 500 || status === 429 || status === 408,
      );
    }
    const validator = (res.headers.etag as string | undefined) ?? res.headers['last-modified'];
    let total: number | null = null;
    if (status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '');
      if (!m || Number(m[1]) !== offset) {
        res.resume();
        throw new FetchError(`${url.host} sent a range Bootlab did not ask for`, true);
      }
      total = m[3] === '*' ? null : Number(m[3]);
    } else {
      offset = 0; // 200: the whole file again (no range support, or If-Range did not match)
      const len = res.headers['content-length'];
      total = len !== undefined ? Number(len) : null;
    }
    if (opts.maxBytes !== undefined && total !== null && total > opts.maxBytes) {
      res.resume();
      throw new FetchError(`the file is larger than expected (${total} bytes)`, false);
    }
    const out = createWriteStream(file, { flags: offset > 0 ? 'r+' : 'w', start: offset });
    let written = offset;
    await new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(idle);
        idle = setTimeout(
          () => res.destroy(new FetchError(`${url.host} stopped sending`, true)),
          opts.idleMs ?? 30_000,
        );
      };
      arm();
      const fail = (e: Error): void => {
        clearTimeout(idle);
        out.destroy();
        reject(e);
      };
      res.on('data', (chunk: Buffer) => {
        arm();
        written += chunk.length;
        if (opts.maxBytes !== undefined && written > opts.maxBytes) {
          res.destroy(new FetchError('the file is larger than expected', false));
          return;
        }
        if (!out.write(chunk)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
        opts.onData?.(written, total);
      });
      res.once('error', (e: Error) =>
        fail(
          e instanceof FetchError || e.name === 'AbortError'
            ? e
            : new FetchError(`${url.host}: ${e.message}`, true),
        ),
      );
      res.once('aborted', () => fail(new FetchError(`${url.host} closed the connection early`, true)));
      res.once('end', () => {
        clearTimeout(idle);
        if (total !== null && written < total) {
          out.end(() => reject(new FetchError(`${url.host} closed the connection early`, true)));
          return;
        }
        out.end(() => resolve());
      });
      out.once('error', (e) => fail(new FetchError(`could not write the download: ${e.message}`, false)));
    });
    // The file may be longer than before (a restart after 200): cut it to what was written.
    await fsp.truncate(file, written);
    return { total: total ?? written, ...(validator ? { validator } : {}) };
  }
  throw new FetchError('too many redirects', false);
}

/** A small text file (checksum list, catalog), capped at `maxBytes`. */
export async function fetchText(
  urlText: string,
  file: string,
  maxBytes = 4 * 1024 * 1024,
  signal?: AbortSignal,
): Promise<string> {
  await fetchToFile(urlText, file, { offset: 0, maxBytes, signal, idleMs: 30_000 });
  return fsp.readFile(file, 'utf8');
}
