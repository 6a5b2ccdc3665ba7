import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { resolveInBootRoot, splitRequestedPath, type BootRootRefusal } from '../core/boot-root.js';
import type { Runtime } from '../core/runtime.js';
import { pumpFile } from './file-pump.js';
import { serveEntity } from './serve-entity.js';

/**
 * Files for GET/HEAD: virtual files first (menu scripts, the system's iPXE binaries), then the boot root.
 * Both go through serve-entity.ts (ETag, Last-Modified, conditional GET, one range or several, the rules
 * the `send` library applies); disk file bodies are sent by file-pump.ts. Path safety is boot-root.ts's,
 * shared with TFTP.
 */

/**
 * Read size for file streams. Node's default (64 KiB) costs a syscall and a socket write per 64 KiB; bigger
 * chunks raise throughput a lot (docs/decisions-http.md), but each download then holds more memory. So big
 * chunks while few files stream at once (a lab boots a handful of machines), the default when many do.
 */
export const READ_CHUNK_BYTES = 256 * 1024;
export const READ_CHUNK_BUSY_BYTES = 64 * 1024;
export const BUSY_STREAMS = 32;
/**
 * Below this many downloads each gets a second buffer, so the next piece is read while the socket takes
 * the current one (file-pump.ts): one download at 1 GiB went from 1,700 to 2,312 MiB/s (0.87× nginx with
 * sendfile) in the same run. With more downloads the socket, not the read, is the wait, and the memory is
 * better kept (docs/decisions.md, "Performance (issue 18)").
 */
export const DOUBLE_BUFFER_STREAMS = 8;
let activeStreams = 0;

export function readChunkBytes(): number {
  return activeStreams < BUSY_STREAMS ? READ_CHUNK_BYTES : READ_CHUNK_BUSY_BYTES;
}

export function readBuffers(): 1 | 2 {
  return activeStreams < DOUBLE_BUFFER_STREAMS ? 2 : 1;
}

/** Counts file streams in flight (for readChunkBytes). */
function countStream(res: ServerResponse): void {
  activeStreams++;
  res.once('close', () => activeStreams--);
}

export interface StaticDeps {
  bootRoot: string;
  runtime: Runtime;
  directoryListing: boolean;
  warn(message: string): void;
}

/** Refusals answer 403 (the request was understood and is not allowed); missing things answer 404. */
function statusFor(reason: BootRootRefusal): number {
  return reason === 'not-found' || reason === 'not-a-file' ? 404 : 403;
}

export function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : `${text}\n`);
}

/**
 * @param decodedPath the URL path after one percent-decoding, starting with "/" (e.g. "/ipxe/undionly.kpxe")
 * @param client the client's IP address (for virtual files that differ per client)
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  decodedPath: string,
  client: string,
  deps: StaticDeps,
): Promise<void> {
  const relative = decodedPath.replace(/^\/+/, '');
  const segments = splitRequestedPath(relative);
  if (!Array.isArray(segments)) {
    plain(
      res,
      statusFor(segments.ok ? 'not-found' : segments.reason),
      segments.ok ? 'Not Found' : segments.message,
    );
    return;
  }
  const clean = segments.join('/');

  // Virtual files are looked up by the cleaned relative path, e.g. "ipxe/undionly.kpxe" (same names TFTP uses).
  if (clean !== '') {
    const virtual = await deps.runtime.findVirtualFile(clean, { address: client });
    if (virtual) {
      serveEntity(req, res, {
        name: clean,
        size: virtual.size,
        mtime: virtual.mtime,
        open: (r) => virtual.open(r),
      });
      return;
    }
  }

  const found = await resolveInBootRoot(deps.bootRoot, relative);
  if (!found.ok) {
    if (
      found.reason === 'not-a-file' &&
      deps.directoryListing &&
      (await listDirectory(res, deps.bootRoot, segments, req.method === 'HEAD'))
    )
      return;
    plain(res, statusFor(found.reason), found.message);
    return;
  }

  const { path, stat } = found;
  const chunk = readChunkBytes();
  const buffers = readBuffers();
  countStream(res);
  // Every disk file takes one path: serve-entity.ts applies `send`'s rules (ETag, Last-Modified, conditional
  // GET, one range or several), and the body goes through file-pump.ts (one reused buffer per download,
  // two while few download, nothing allocated per piece). `send`'s pipe allocated a buffer per piece.
  res.setHeader('Cache-Control', 'public, max-age=0'); // what `send` sent for disk files
  serveEntity(req, res, {
    name: path,
    size: stat.size,
    mtime: stat.mtime,
    open: (r) =>
      createReadStream(path, {
        highWaterMark: chunk,
        ...(r ? { start: r.start, end: r.end } : {}),
      }),
    pump: (out, r) => pumpFile(out, path, r, chunk, buffers),
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain HTML listing (only when turned on in the profile). Never leaves the root, never shows dot-names. */
async function listDirectory(
  res: ServerResponse,
  root: string,
  segments: string[],
  head: boolean,
): Promise<boolean> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await fsp.realpath(root);
    real = await fsp.realpath(join(realRoot, ...segments));
  } catch {
    return false;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return false;
  let entries;
  try {
    entries = await fsp.readdir(real, { withFileTypes: true });
  } catch {
    return false;
  }
  const base = segments.length ? `/${segments.map(encodeURIComponent).join('/')}/` : '/';
  const rows = entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => {
      const name = e.isDirectory() ? `${e.name}/` : e.name;
      return `<li><a href="${escapeHtml(base + encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${escapeHtml(name)}</a></li>`;
    });
  const title = escapeHtml(base);
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><ul>${rows.join('')}</ul>\n`;
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : html);
  return true;
}
