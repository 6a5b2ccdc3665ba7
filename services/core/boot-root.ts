import { promises as fsp, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Maps a client-requested name (TFTP filename, decoded HTTP path) to a regular file inside the boot root,
 * or says why not. Shared by TFTP and HTTP so both refuse the same things the same way:
 * - `\` is read as `/` (Windows-style clients, e.g. WDS loaders, ask `Boot\x64\wdsnbp.com`);
 * - `..` segments, absolute paths (`/x`, `C:x`, `\\server\share`), NUL bytes and percent-escapes are refused
 *   before the disk is touched (TFTP names are raw; HTTP decodes once before calling, so a `%xx` left over
 *   is a double-encoding trick);
 * - dot-files (`.git`, `.htaccess`) are refused unless allowDotfiles;
 * - symlinks may point anywhere inside the root, never out of it (checked on the real path);
 * - only regular files are served: directories, devices, FIFOs and sockets are refused;
 * - with caseInsensitiveFallback, a name that does not exist exactly is looked up segment by segment,
 *   ignoring case, inside the root (an exact match always wins).
 */
export type BootRootRefusal =
  | 'traversal'
  | 'absolute'
  | 'nul'
  | 'percent-encoding'
  | 'not-found'
  | 'not-a-file'
  | 'symlink-escape'
  | 'dotfile';

export type BootRootResult =
  { ok: true; path: string; stat: Stats } | { ok: false; reason: BootRootRefusal; message: string };

export interface BootRootOptions {
  caseInsensitiveFallback?: boolean;
  allowDotfiles?: boolean;
}

function refuse(reason: BootRootRefusal, message: string): BootRootResult {
  return { ok: false, reason, message };
}

/** Checks the name alone (no disk access). Returns the clean segments or a refusal. */
export function splitRequestedPath(requested: string, opts: BootRootOptions = {}): string[] | BootRootResult {
  const shown = JSON.stringify(requested.length > 200 ? requested.slice(0, 200) + '…' : requested);
  if (requested.includes('\0')) return refuse('nul', `Refused ${shown}: the name contains a NUL byte.`);
  if (/%[0-9a-fA-F]{2}/.test(requested)) {
    return refuse('percent-encoding', `Refused ${shown}: percent-encoded names are not accepted.`);
  }
  const name = requested.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) {
    return refuse(
      'absolute',
      `Refused ${shown}: absolute paths are not served; ask for a path relative to the boot root.`,
    );
  }
  const segments: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return refuse('traversal', `Refused ${shown}: ".." would leave the boot root.`);
    if (seg.startsWith('.') && !opts.allowDotfiles) {
      return refuse('dotfile', `Refused ${shown}: hidden files (names starting with ".") are not served.`);
    }
    segments.push(seg);
  }
  return segments;
}

function inside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Walks the segments from the root, matching each one exactly or else ignoring case. */
async function caseInsensitiveWalk(realRoot: string, segments: string[]): Promise<string | undefined> {
  let dir = realRoot;
  for (const seg of segments) {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return undefined;
    }
    const lower = seg.toLowerCase();
    const hit = names.includes(seg) ? seg : names.sort().find((n) => n.toLowerCase() === lower);
    if (hit === undefined) return undefined;
    const next = join(dir, hit);
    // Do not look around outside the root while walking (a symlinked directory that leads out).
    let real: string;
    try {
      real = await fsp.realpath(next);
    } catch {
      return undefined;
    }
    if (!inside(realRoot, real)) return next;
    dir = real;
  }
  return dir;
}

export async function resolveInBootRoot(
  root: string,
  requested: string,
  opts: BootRootOptions = {},
): Promise<BootRootResult> {
  const split = splitRequestedPath(requested, opts);
  if (!Array.isArray(split)) return split;
  const shown = JSON.stringify(requested.length > 200 ? requested.slice(0, 200) + '…' : requested);
  if (split.length === 0)
    return refuse('not-a-file', `Refused ${shown}: that is the boot root itself, not a file.`);

  let realRoot: string;
  try {
    realRoot = await fsp.realpath(root);
  } catch {
    return refuse(
      'not-found',
      `The boot root ${root} does not exist; create it or choose another folder in the profile.`,
    );
  }

  let candidate: string | undefined = join(realRoot, ...split);
  let real: string | undefined;
  try {
    real = await fsp.realpath(candidate);
  } catch (err) {
    if (!isMissing(err)) return refuse('not-found', `Cannot open ${shown}: ${(err as Error).message}.`);
    candidate = opts.caseInsensitiveFallback ? await caseInsensitiveWalk(realRoot, split) : undefined;
    if (candidate !== undefined) {
      try {
        real = await fsp.realpath(candidate);
      } catch {
        real = undefined;
      }
    }
  }
  if (real === undefined) return refuse('not-found', `${shown} is not in the boot root ${root}.`);
  if (!inside(realRoot, real)) {
    return refuse(
      'symlink-escape',
      `Refused ${shown}: it is a symbolic link that leads out of the boot root.`,
    );
  }
  let stat: Stats;
  try {
    stat = await fsp.stat(real);
  } catch {
    return refuse('not-found', `${shown} is not in the boot root ${root}.`);
  }
  if (stat.isDirectory()) return refuse('not-a-file', `Refused ${shown}: it is a directory, not a file.`);
  if (!stat.isFile())
    return refuse('not-a-file', `Refused ${shown}: it is not a regular file (device, FIFO or socket).`);
  return { ok: true, path: real, stat };
}
