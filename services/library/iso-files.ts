import { spawn } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Lists and extracts files inside ISO images with 7-Zip (Debian package p7zip-full, `7z`), run as a child
 * process with an argument array (no shell). 7-Zip reads ISO 9660 with Joliet and Rock Ridge names and UDF
 * (Windows install images keep their files only in UDF), seeks to what it needs and streams extraction to
 * disk, so a large ISO is never read whole into memory. See docs/decisions.md (Boot library).
 */

export const SEVEN_ZIP = process.env.BOOTLAB_7Z ?? '7z';
const MAX_LISTING_BYTES = 16 * 1024 * 1024;

export class IsoToolError extends Error {}

function run7z(args: string[], opts: { maxBytes?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SEVEN_ZIP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > (opts.maxBytes ?? MAX_LISTING_BYTES)) {
        child.kill('SIGKILL');
        return;
      }
      out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-2000)));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new IsoToolError(
          e.code === 'ENOENT'
            ? '7-Zip (7z) is not installed: install the Debian package p7zip-full.'
            : `7-Zip could not start: ${e.message}`,
        ),
      ),
    );
    child.once('close', (code) => {
      if (size > (opts.maxBytes ?? MAX_LISTING_BYTES)) reject(new IsoToolError('7-Zip listing too large'));
      else if (code !== 0)
        reject(new IsoToolError(`7-Zip failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

export interface IsoFileEntry {
  /** Path inside the image, "/" separated, no leading slash, as 7-Zip names it (case kept). */
  path: string;
  size: number;
  folder: boolean;
}

/** Parses `7z l -slt` output (pure, for unit tests). Entries start after the "----------" line. */
export function parseSevenZipListing(text: string): IsoFileEntry[] {
  const start = text.indexOf('\n----------\n');
  if (start < 0) return [];
  const entries: IsoFileEntry[] = [];
  for (const block of text.slice(start + 12).split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const i = line.indexOf(' = ');
      if (i > 0) fields.set(line.slice(0, i), line.slice(i + 3));
    }
    const path = fields.get('Path');
    if (!path) continue;
    // A name that could climb out of the extraction folder is dropped, never used.
    const segments = path.replace(/\\/g, '/').replace(/^\/+/, '').split('/');
    if (segments.some((seg) => seg === '' || seg === '.' || seg === '..')) continue;
    entries.push({
      path: path.replace(/\\/g, '/').replace(/^\/+/, ''),
      size: Number(fields.get('Size') ?? 0) || 0,
      folder: fields.get('Folder') === '+',
    });
  }
  return entries;
}

/** Every file and folder in the image (the El Torito images 7-Zip shows as "[BOOT]/…" are left out). */
export async function listIsoFiles(iso: string): Promise<IsoFileEntry[]> {
  // No -t: 7-Zip picks the format itself and prefers UDF when present (as Windows does).
  const text = await run7z(['l', '-slt', '--', iso]);
  return parseSevenZipListing(text).filter((e) => !e.path.startsWith('[BOOT]'));
}

/**
 * Extracts the named files (paths as listed) into `dest`, keeping their folders. Extracts into a temp
 * folder beside `dest` first and renames it into place, so a crash never leaves a half-filled cache.
 */
export async function extractIsoFiles(iso: string, paths: readonly string[], dest: string): Promise<void> {
  const tmp = `${dest}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    if (paths.length > 0) {
      await run7z(['x', '-y', `-o${tmp}`, '--', iso, ...paths], { maxBytes: MAX_LISTING_BYTES });
    }
    await mkdir(dirname(dest), { recursive: true });
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function cachedPath(dest: string, isoPath: string): string {
  return join(dest, ...isoPath.split('/'));
}
