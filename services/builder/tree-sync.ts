import { createHash } from 'node:crypto';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Keeps a work tree's src/ in step with a source's src/ without touching what did not change: files are
 * copied only when size or mtime differ, with the source's mtime, so make (which decides by mtime)
 * rebuilds exactly what changed. Build outputs (bin*), Bootlab's own files and config/local are never
 * copied: they belong to the work tree (docs/ipxe-notes.md §4: config/local is git-ignored for this reason).
 */

function skipped(rel: string): boolean {
  return (
    /^bin($|-)/.test(rel) ||
    rel === '.git' ||
    rel === 'bootlab-files' ||
    rel === 'config/local' ||
    rel.startsWith('config/local/')
  );
}

interface Entry {
  rel: string;
  size: number;
  mtimeMs: number;
  link?: string;
}

function walk(root: string, rel = '', out: Entry[] = []): Entry[] {
  const dir = rel ? join(root, rel) : root;
  for (const name of readdirSync(dir).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (skipped(r)) continue;
    const st = lstatSync(join(root, r));
    if (st.isDirectory()) walk(root, r, out);
    else if (st.isSymbolicLink())
      out.push({ rel: r, size: 0, mtimeMs: 0, link: readlinkSync(join(root, r)) });
    else if (st.isFile()) out.push({ rel: r, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
  }
  return out;
}

/** A fingerprint of a source tree's files (names, sizes, mtimes): part of the cache key of local checkouts. */
export function treeFingerprint(srcDir: string): string {
  const h = createHash('sha256');
  for (const e of walk(srcDir)) h.update(`${e.rel}\0${e.size}\0${e.mtimeMs}\0${e.link ?? ''}\n`);
  return h.digest('hex').slice(0, 24);
}

/** Copies changed files from `from` to `to` (both iPXE src/ dirs). Returns how many files were copied. */
export function syncTree(from: string, to: string): number {
  let copied = 0;
  for (const e of walk(from)) {
    const dest = join(to, e.rel);
    let st;
    try {
      st = lstatSync(dest);
    } catch {
      st = undefined;
    }
    if (e.link !== undefined) {
      if (st?.isSymbolicLink() && readlinkSync(dest) === e.link) continue;
      mkdirSync(dirname(dest), { recursive: true });
      if (st) copyFileSync(join(from, e.rel), dest);
      else symlinkSync(e.link, dest);
      copied++;
      continue;
    }
    if (st && st.isFile() && st.size === e.size && Math.floor(st.mtimeMs) === e.mtimeMs) continue;
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(join(from, e.rel), dest);
    const t = new Date(e.mtimeMs);
    utimesSync(dest, t, t);
    copied++;
  }
  return copied;
}
