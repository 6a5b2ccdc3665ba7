import { createHash } from 'node:crypto';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  rmSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Keeps a work tree's src/ in step with a source's src/ by content: a file is copied only when its bytes
 * differ, and then gets the current time as mtime (newer than every object built from the old version), so
 * make (which decides by mtime) rebuilds exactly what changed, and a clone of the same commit as an
 * imported tarball reuses the tarball's work tree. Build outputs (bin*), Bootlab's own files and
 * config/local are never copied: they belong to the work tree (config/local is git-ignored upstream for
 * this reason, docs/ipxe-notes.md §4).
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
  link?: string;
}

function walk(root: string, rel = '', out: Entry[] = []): Entry[] {
  const dir = rel ? join(root, rel) : root;
  for (const name of readdirSync(dir).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (skipped(r)) continue;
    const st = lstatSync(join(root, r));
    if (st.isDirectory()) walk(root, r, out);
    else if (st.isSymbolicLink()) out.push({ rel: r, size: 0, link: readlinkSync(join(root, r)) });
    else if (st.isFile()) out.push({ rel: r, size: st.size });
  }
  return out;
}

/** Marks content fingerprints (records written before them hold another kind and are recomputed). */
export const FINGERPRINT_PREFIX = 'c1-';

/** A fingerprint of a source tree's contents (names and bytes): the source part of the cache key. */
export function treeFingerprint(srcDir: string): string {
  const h = createHash('sha256');
  for (const e of walk(srcDir)) {
    const body =
      e.link ??
      createHash('sha256')
        .update(readFileSync(join(srcDir, e.rel)))
        .digest('hex');
    h.update(`${e.rel}\0${e.link ? 'link' : 'file'}\0${body}\n`);
  }
  return `${FINGERPRINT_PREFIX}${h.digest('hex').slice(0, 24)}`;
}

/** Copies files whose content differs from `from` to `to` (both iPXE src/ dirs). Returns how many. */
export function syncTree(from: string, to: string): number {
  let copied = 0;
  for (const e of walk(from)) {
    const src = join(from, e.rel);
    const dest = join(to, e.rel);
    let st;
    try {
      st = lstatSync(dest);
    } catch {
      st = undefined;
    }
    if (e.link !== undefined) {
      if (st?.isSymbolicLink() && readlinkSync(dest) === e.link) continue;
      if (st) rmSync(dest, { force: true });
      mkdirSync(dirname(dest), { recursive: true });
      symlinkSync(e.link, dest);
      copied++;
      continue;
    }
    if (st?.isFile() && st.size === e.size && readFileSync(dest).equals(readFileSync(src))) continue;
    if (st && !st.isFile()) rmSync(dest, { recursive: true, force: true });
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(src, dest);
    copied++;
  }
  return copied;
}
