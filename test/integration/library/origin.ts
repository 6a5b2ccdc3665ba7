import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server playing a publisher's download site (no internet in tests): files with byte-range
 * support (RFC 9110 §14), and per-file misbehaviour: cut the first transfer halfway, answer 503, send
 * slowly. Every request is recorded (path and Range header) for the assertions.
 */

export interface OriginFile {
  body: Buffer;
  /** Close the connection after this many bytes on the first GET of the file. */
  cutFirstAt?: number;
  /** Always answer this status (e.g. 503 for a dead mirror). */
  status?: number;
  /** Send in 64 KiB chunks with this pause between them. */
  chunkDelayMs?: number;
}

export class Origin {
  readonly requests: { path: string; range?: string }[] = [];
  private readonly files = new Map<string, OriginFile>();
  private readonly served = new Map<string, number>();
  private server = http.createServer((req, res) => void this.handle(req, res));
  base = '';

  static async start(): Promise<Origin> {
    const o = new Origin();
    await new Promise<void>((r) => o.server.listen(0, '127.0.0.1', r));
    o.base = `http://127.0.0.1:${(o.server.address() as AddressInfo).port}`;
    return o;
  }

  set(path: string, file: OriginFile | Buffer | string): void {
    this.files.set(
      path,
      Buffer.isBuffer(file) || typeof file === 'string' ? { body: Buffer.from(file) } : file,
    );
  }

  url(path: string): string {
    return this.base + path;
  }

  rangeRequests(path: string): string[] {
    return this.requests.filter((r) => r.path === path && r.range).map((r) => r.range!);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    this.requests.push({ path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const f = this.files.get(path);
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    if (f.status) {
      res.writeHead(f.status).end('unavailable');
      return;
    }
    const count = (this.served.get(path) ?? 0) + 1;
    this.served.set(path, count);
    const etag = `"${createHash('sha1').update(f.body).digest('hex').slice(0, 16)}"`;
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (m && (!ifRange || ifRange === etag)) {
      start = Number(m[1]);
      if (start >= f.body.length) {
        res.writeHead(416, { 'content-range': `bytes */${f.body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-range': `bytes ${start}-${f.body.length - 1}/${f.body.length}`,
        'content-length': f.body.length - start,
        etag,
        'accept-ranges': 'bytes',
      });
    } else {
      res.writeHead(200, { 'content-length': f.body.length, etag, 'accept-ranges': 'bytes' });
    }
    const cutAt = count === 1 ? f.cutFirstAt : undefined;
    const end = cutAt !== undefined ? Math.min(cutAt, f.body.length) : f.body.length;
    const chunk = 64 * 1024;
    for (let off = start; off < end; off += chunk) {
      if (res.destroyed) return;
      const piece = f.body.subarray(off, Math.min(end, off + chunk));
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      if (f.chunkDelayMs) await new Promise((r) => setTimeout(r, f.chunkDelayMs));
    }
    if (cutAt !== undefined && end < f.body.length) {
      res.socket?.destroy();
      return;
    }
    res.end();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
