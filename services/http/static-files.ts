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
 * How each download reads its file (file-pump.ts), by how many download at once. Per piece Node pays a
 * thread-pool read and a socket write with its callbacks, so big pieces raise one download's speed; two
 * buffers let the next piece be read while the socket takes the current one. Both cost memory per
 * download, so they shrink as downloads add up (a lab boots a handful of machines; a classroom, hundreds).
 * Measured, same run, one 1 GiB download: 256 KiB × 1 buffer 1,700 MiB/s, 256 KiB × 2 2,312, 1 MiB × 2
 * 2,933 (1.09× nginx with sendfile); 1 MiB pieces for 32 downloads raised the peak RSS of 200 downloads
 * from 118 to 175 MiB, hence the tiers: 2 MiB per download for the first three, 256 KiB up to 32, then
 * 64 KiB (docs/decisions.md, "Performance (issue 18)").
 */
export const READ_TIERS: readonly { below: number; pieceBytes: number; buffers: 1 | 2 }[] = [
  { below: 4, pieceBytes: 1024 * 1024, buffers: 2 },
  { below: 32, pieceBytes: 256 * 1024, buffers: 1 },
  { below: Infinity, pieceBytes: 64 * 1024, buffers: 1 },
];
let activeStreams = 0;

/** The read plan for a download starting now. */
export function readPlan(): { pieceBytes: number; buffers: 1 | 2 } {
  return READ_TIERS.find((t) => activeStreams < t.below)!;
}

/** Counts file streams in flight (for readPlan). */
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
export function statusFor(reason: BootRootRefusal): number {
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

  serveDiskFile(req, res, found.path, found.stat);
}

/**
 * A file already resolved inside its root (boot-root.ts), as Bootlab serves every disk file: serve-entity.ts
 * applies `send`'s rules (ETag, Last-Modified, conditional GET, one range or several), and the body goes
 * through file-pump.ts (reused buffers sized by readPlan, nothing allocated per piece). The boot root and
 * the UI's files both come here.
 */
export function serveDiskFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  stat: { size: number; mtime: Date },
): void {
  const plan = readPlan();
  countStream(res);
  res.setHeader('Cache-Control', 'public, max-age=0'); // what `send` sent for disk files
  serveEntity(req, res, {
    name: path,
    size: stat.size,
    mtime: stat.mtime,
    open: (r) =>
      createReadStream(path, {
        highWaterMark: plan.pieceBytes,
        ...(r ? { start: r.start, end: r.end } : {}),
      }),
    pump: (out, r) => pumpFile(out, path, r, plan.pieceBytes, plan.buffers),
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
