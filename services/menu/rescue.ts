import { promises as fsp } from 'node:fs';
import { join, posix } from 'node:path';
import { diskFile } from '../core/disk-file.js';
import type { VirtualFileProvider } from '../core/runtime.js';
import { resolveInBootRoot } from '../core/boot-root.js';
import { menuEntrySchema, type MenuEntry } from './model.js';

/**
 * Finds rescue tools to offer out of the box: memtest86+ (Debian's `memtest86+` package installs
 * /boot/memtest86+x64.efi and /boot/memtest86+x64.bin; upstream names them memtest64.efi/.bin) and a local
 * copy of netboot.xyz. The boot root is searched first; files found only in the system folders are served
 * from where they are under the virtual folder `bootlab-rescue/` (the menu entry points there).
 */

export const RESCUE_PREFIX = 'bootlab-rescue';
export const SYSTEM_RESCUE_DIRS = ['/boot', '/usr/lib/memtest86+', '/usr/share/memtest86+'];

interface Tool {
  id: string;
  label: string;
  key?: string;
  efi: string[];
  bios: string[];
  /** EFI binaries built for x86_64 only. */
  efiArch?: 'x86_64';
}

const TOOLS: Tool[] = [
  {
    id: 'memtest',
    label: 'Memtest86+ memory test',
    key: 'm',
    efi: ['memtest64.efi', 'memtest86+x64.efi', 'mt86plus_x64.efi'],
    bios: ['memtest64.bin', 'memtest86+x64.bin', 'memtest86+.bin'],
    efiArch: 'x86_64',
  },
  {
    id: 'netbootxyz',
    label: 'netboot.xyz (local copy)',
    key: 'n',
    efi: ['netboot.xyz.efi'],
    bios: ['netboot.xyz.kpxe', 'netboot.xyz-undionly.kpxe'],
    efiArch: 'x86_64',
  },
];

/** Folders in the boot root searched for tools (besides its top level). */
const ROOT_DIRS = ['', 'rescue', 'memtest', 'tools', 'netboot.xyz'];

export interface RescueDetection {
  entries: MenuEntry[];
  /** Virtual path (bootlab-rescue/…) → absolute system path, for createRescueFileProvider. */
  systemFiles: Map<string, string>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isFile();
  } catch {
    return false;
  }
}

async function findInRoot(bootRoot: string, names: string[]): Promise<string | undefined> {
  for (const dir of ROOT_DIRS) {
    for (const name of names) {
      const rel = dir ? posix.join(dir, name) : name;
      if ((await resolveInBootRoot(bootRoot, rel)).ok) return rel;
    }
  }
  return undefined;
}

async function findInSystem(
  dirs: string[],
  names: string[],
  files: Map<string, string>,
): Promise<string | undefined> {
  for (const dir of dirs) {
    for (const name of names) {
      const abs = join(dir, name);
      if (await isFile(abs)) {
        const virtual = `${RESCUE_PREFIX}/${name}`;
        files.set(virtual, abs);
        return virtual;
      }
    }
  }
  return undefined;
}

/** Looks for each known tool (boot root first, then system folders). Deterministic order. */
export async function detectRescueTools(opts: {
  bootRoot?: string;
  systemDirs?: string[];
}): Promise<RescueDetection> {
  const systemFiles = new Map<string, string>();
  const entries: MenuEntry[] = [];
  const systemDirs = opts.systemDirs ?? SYSTEM_RESCUE_DIRS;
  for (const tool of TOOLS) {
    const find = async (names: string[]): Promise<string | undefined> =>
      (opts.bootRoot ? await findInRoot(opts.bootRoot, names) : undefined) ??
      (await findInSystem(systemDirs, names, systemFiles));
    const efi = await find(tool.efi);
    const bios = await find(tool.bios);
    if (!efi && !bios) continue;
    entries.push(
      menuEntrySchema.parse({
        id: tool.id,
        kind: 'binary',
        label: tool.label,
        key: tool.key,
        ...(efi ? { efi } : {}),
        ...(bios ? { bios } : {}),
        ...(efi && tool.efiArch ? { arch: [tool.efiArch] } : {}),
      }),
    );
  }
  return { entries, systemFiles };
}

/** Serves the system files found by detectRescueTools under `bootlab-rescue/` (TFTP and HTTP). */
export function createRescueFileProvider(
  systemFiles: ReadonlyMap<string, string> | (() => ReadonlyMap<string, string>),
): VirtualFileProvider {
  const files = typeof systemFiles === 'function' ? systemFiles : () => systemFiles;
  return async (requested) => {
    const abs = files().get(requested.replace(/\\/g, '/').replace(/^\/+/, ''));
    return abs ? diskFile(abs) : undefined;
  };
}
