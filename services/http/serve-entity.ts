import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import etag from 'etag';
import fresh from 'fresh';
import parseRange from 'range-parser';
import { contentType } from 'mime-types';

/**
 * Serves one "entity" (a virtual file, or a disk file asked for with several ranges) with the same rules the
 * `send` library applies to disk files: ETag + Last-Modified, conditional requests (304/412), If-Range, one
 * range (206 + Content-Range) or several (206 multipart/byteranges, RFC 9110 §14.6), 416 when nothing fits.
 * `send` 1.x answers a multi-range request with the whole file (its index.js: "multiple ranges are treated
 * as a regular response"); this module exists for that case and for files that are not on disk.
 * Range parsing is the `range-parser` library's (the one `send` uses); nothing here streams a whole file
 * into memory: every part is piped with backpressure.
 */
export interface Entity {
  /** Name used to pick the Content-Type (by extension). */
  name: string;
  size: number;
  mtime: Date;
  /** Inclusive byte range, like fs.createReadStream's start/end. */
  open(range?: { start: number; end: number }): Readable;
  /**
   * Optional faster body path for a single range (disk files: file-pump.ts): writes the bytes and ends the
   * response itself. Multipart bodies always use open().
   */
  pump?(res: ServerResponse, range: { start: number; end: number }): void;
}

interface ByteRange {
  start: number;
  end: number;
}

export function entityContentType(name: string): string {
  return contentType(name.split('/').pop() ?? name) || 'application/octet-stream';
}

export function entityEtag(size: number, mtime: Date): string {
  // Same weak tag `send` puts on disk files (etag's stattag: W/"size-mtime" in hex).
  return etag({ size, mtime, ctime: mtime, ino: 0 } as unknown as Parameters<typeof etag>[0], { weak: true });
}

/** RFC 9110 §13.1.1/§13.1.4: If-Match and If-Unmodified-Since failures answer 412. */
function preconditionFailed(req: IncomingMessage, tag: string, mtime: Date): boolean {
  const ifMatch = req.headers['if-match'];
  if (ifMatch) {
    if (ifMatch.trim() === '*') return false;
    const bare = tag.replace(/^W\//, '');
    return !ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
  }
  const ius = Date.parse(req.headers['if-unmodified-since'] ?? '');
  return !Number.isNaN(ius) && Math.floor(mtime.getTime() / 1000) * 1000 > ius;
}

/** If-Range (RFC 9110 §13.1.5): ranges apply only while the validator still matches. */
function rangeStillValid(req: IncomingMessage, tag: string, lastModified: string): boolean {
  const header = req.headers['if-range'];
  const ifRange = Array.isArray(header) ? header[0] : header;
  if (!ifRange) return true;
  if (ifRange.includes('"')) return ifRange.includes(tag);
  return Date.parse(lastModified) <= Date.parse(ifRange);
}

/** Parses the Range header: undefined = send the whole entity, -1 = unsatisfiable (416). */
export function parseRanges(header: string | undefined, size: number): ByteRange[] | undefined | -1 {
  if (!header || !/^ *bytes=/.test(header)) return undefined;
  const parsed = parseRange(size, header, { combine: true });
  if (parsed === -1) return -1;
  if (parsed === -2 || parsed.length === 0) return undefined; // malformed: ignore the header (RFC 9110 §14.2)
  return parsed.map((r) => ({ start: r.start, end: r.end }));
}

export function serveEntity(req: IncomingMessage, res: ServerResponse, entity: Entity): void {
  const tag = entityEtag(entity.size, entity.mtime);
  const lastModified = entity.mtime.toUTCString();
  const type = entityContentType(entity.name);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', tag);
  res.setHeader('Last-Modified', lastModified);

  const conditional = ['if-match', 'if-unmodified-since', 'if-none-match', 'if-modified-since'].some(
    (h) => req.headers[h],
  );
  if (conditional) {
    if (preconditionFailed(req, tag, entity.mtime)) {
      res.writeHead(412, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Precondition Failed\n');
      return;
    }
    if (fresh(req.headers, { etag: tag, 'last-modified': lastModified })) {
      res.removeHeader('Content-Type');
      res.writeHead(304).end();
      return;
    }
  }

  let ranges = parseRanges(req.headers.range, entity.size);
  if (ranges !== undefined && !rangeStillValid(req, tag, lastModified)) ranges = undefined;
  if (ranges === -1) {
    res.writeHead(416, {
      'Content-Range': `bytes */${entity.size}`,
      'Content-Type': 'text/plain; charset=utf-8',
    });
    res.end('Range Not Satisfiable\n');
    return;
  }
  const head = req.method === 'HEAD';
  if (ranges === undefined || entity.size === 0) {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': entity.size });
    if (head || entity.size === 0) res.end();
    else if (entity.pump) entity.pump(res, { start: 0, end: entity.size - 1 });
    else pipeToEnd(entity.open(), res);
    return;
  }
  if (ranges.length === 1) {
    const r = ranges[0]!;
    res.writeHead(206, {
      'Content-Type': type,
      'Content-Length': r.end - r.start + 1,
      'Content-Range': `bytes ${r.start}-${r.end}/${entity.size}`,
    });
    if (head) res.end();
    else if (entity.pump) entity.pump(res, r);
    else pipeToEnd(entity.open(r), res);
    return;
  }
  sendMultipart(res, entity, ranges, type, head);
}

/** Pipes with backpressure; a client that goes away destroys the file stream (pipeline does both ways). */
function pipeToEnd(src: Readable, res: ServerResponse): void {
  pipeline(src, res, () => {
    /* errors end the response; the download tracker reports it as aborted */
  });
}

function sendMultipart(
  res: ServerResponse,
  entity: Entity,
  ranges: ByteRange[],
  type: string,
  head: boolean,
): void {
  const boundary = `bootlab-${randomBytes(12).toString('hex')}`;
  const partHeads = ranges.map(
    (r, i) =>
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\n` +
      `Content-Range: bytes ${r.start}-${r.end}/${entity.size}\r\n\r\n`,
  );
  const tail = `\r\n--${boundary}--\r\n`;
  const length =
    partHeads.reduce((n, h) => n + Buffer.byteLength(h), 0) +
    ranges.reduce((n, r) => n + (r.end - r.start + 1), 0) +
    Buffer.byteLength(tail);
  res.writeHead(206, {
    'Content-Type': `multipart/byteranges; boundary=${boundary}`,
    'Content-Length': length,
  });
  if (head) {
    res.end();
    return;
  }
  void (async () => {
    for (let i = 0; i < ranges.length; i++) {
      if (res.destroyed) return;
      res.write(partHeads[i]);
      if (!(await pipePart(entity.open(ranges[i]), res))) return;
    }
    res.end(tail);
  })();
}

/** Pipes one part without ending the response; resolves false when the client went away or the read failed. */
function pipePart(src: Readable, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      res.off('close', onClose);
      src.off('end', onEnd);
      src.off('error', onError);
      if (!ok) {
        src.unpipe(res);
        src.destroy();
        res.destroy();
      }
      resolve(ok);
    };
    const onClose = (): void => done(false);
    const onEnd = (): void => done(true);
    const onError = (): void => done(false);
    res.once('close', onClose);
    src.once('end', onEnd);
    src.once('error', onError);
    src.pipe(res, { end: false });
  });
}
