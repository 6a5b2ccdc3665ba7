import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { resolveInBootRoot, splitRequestedPath } from '../core/boot-root.js';
import { BootlabError } from '../shared/errors.js';
import type { BootRootListing } from './views.js';

/**
 * Boot-root file access for the menu editor: does a path exist (validation), and what is in a folder
 * (file pickers). Both go through the boot root's own path rules (services/core/boot-root.ts), so nothing
 * outside the root is ever looked at or listed.
 */

export type { BootRootListing };

/** A fileExists function for validateMenuConfig: a regular file in the boot root, or a virtual file. */
export function bootRootFileExists(
  bootRoot: string,
  isVirtual: (path: string) => boolean | Promise<boolean> = () => false,
) {
  return async (path: string): Promise<boolean> => {
    if (await isVirtual(path)) return true;
    return (await resolveInBootRoot(bootRoot, path)).ok;
  };
}

const MAX_ENTRIES = 2000;

/** Lists one folder of the boot root (no dot-files, symlinks only when they stay inside the root). */
export async function listBootRootDir(bootRoot: string, dir: string): Promise<BootRootListing> {
  const split = splitRequestedPath(dir);
  if (!Array.isArray(split)) {
    throw new BootlabError(
      'BAD_REQUEST',
      split.ok ? 'Bad folder.' : split.message,
      'Pick a folder inside the boot root.',
    );
  }
  const rel = split.join('/');
  let realRoot: string;
  try {
    realRoot = await fsp.realpath(bootRoot);
  } catch {
    throw new BootlabError(
      'NOT_FOUND',
      `The boot root ${bootRoot} does not exist.`,
      'Create it, or choose another boot root in Settings.',
    );
  }
  const abs = join(realRoot, ...split);
  let real: string;
  try {
    real = await fsp.realpath(abs);
  } catch {
    throw new BootlabError(
      'NOT_FOUND',
      `The folder "${rel}" is not in the boot root.`,
      'Pick another folder.',
    );
  }
  if (real !== realRoot && !real.startsWith(realRoot + '/')) {
    throw new BootlabError(
      'BAD_REQUEST',
      `The folder "${rel}" leads out of the boot root.`,
      'Pick a folder inside the boot root.',
    );
  }
  let names: string[];
  try {
    names = (await fsp.readdir(real)).sort();
  } catch {
    throw new BootlabError('NOT_FOUND', `"${rel}" is not a folder in the boot root.`, 'Pick a folder.');
  }
  const entries: BootRootListing['entries'] = [];
  for (const name of names) {
    if (name.startsWith('.') || entries.length >= MAX_ENTRIES) continue;
    const path = rel ? `${rel}/${name}` : name;
    try {
      const target = await fsp.realpath(join(real, name));
      if (target !== realRoot && !target.startsWith(realRoot + '/')) continue;
      const st = await fsp.stat(target);
      if (st.isDirectory()) entries.push({ name, path, type: 'dir', size: 0 });
      else if (st.isFile()) entries.push({ name, path, type: 'file', size: st.size });
    } catch {
      continue;
    }
  }
  entries.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'dir' ? -1 : 1));
  return { dir: rel, entries };
}
