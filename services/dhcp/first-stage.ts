import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualFile, VirtualFileProvider } from '../core/runtime.js';
import type { FirstStageNames, Platform } from './policy.js';
import { PLATFORM_LABELS as PLATFORM_LABEL } from '../shared/firmware.js';
import type { FirstStageEntry, FirstStageReport, FirstStageSource } from './views.js';
import { describeServed, servedBuildInfo } from '../builder/served.js';
export type { FirstStageEntry, FirstStageReport, FirstStageSource } from './views.js';

/**
 * First-stage iPXE files: where each one handed out by DHCP comes from. Order: the boot root (a file the
 * user built or copied there, also a per-host override's file), then the system's prebuilt iPXE
 * (Debian/Ubuntu package `ipxe`: /usr/lib/ipxe), served to TFTP and HTTP as virtual files, never copied.
 */

export const SYSTEM_IPXE_DIR = '/usr/lib/ipxe';
/** The prebuilt binaries worth serving from the system package (docs/ipxe-notes.md §8). */
export const SYSTEM_IPXE_FILES = [
  'undionly.kpxe',
  'undionly.kkpxe',
  'ipxe.pxe',
  'ipxe.efi',
  'snponly.efi',
  'ipxe.lkrn',
];

export const HOW_TO_GET_IPXE =
  'Install the prebuilt iPXE: on Debian/Ubuntu run "sudo apt-get install ipxe" (files land in /usr/lib/ipxe), ' +
  'or build iPXE on the Builder page, or copy undionly.kpxe / snponly.efi into the boot root.';

function statFile(path: string): { size: number; mtime: Date } | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? { size: st.size, mtime: st.mtime } : undefined;
  } catch {
    return undefined;
  }
}

/** Version of the Debian package `ipxe`, or null (not Debian, or not installed). */
export function systemIpxeVersion(): string | null {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'ipxe'], { encoding: 'utf8', timeout: 3000 });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** What a prebuilt system iPXE cannot do (docs/ipxe-notes.md §8: the 2019 Debian build has no syslog, HTTPS, PeerDist). */
export function systemLacks(version: string | null): string[] {
  if (version === null || /^1\.0\.0\+git-20(1\d|20)/.test(version)) return ['syslog', 'HTTPS', 'PeerDist'];
  return ['PeerDist'];
}

/** Where `name` is served from: the boot root first, then the system iPXE directory. */
export function locate(
  name: string,
  bootRoot: string,
  systemDir = SYSTEM_IPXE_DIR,
): { source: FirstStageSource; path?: string; size?: number } {
  if (/^[a-z]+:\/\//i.test(name)) return { source: 'boot-root' }; // a URL: served by whoever owns it
  const inRoot = join(bootRoot, name.replace(/^\/+/, ''));
  const r = statFile(inRoot);
  if (r) return { source: 'boot-root', path: inRoot, size: r.size };
  if (!name.includes('/') && SYSTEM_IPXE_FILES.includes(name)) {
    const sys = join(systemDir, name);
    const s = statFile(sys);
    if (s) return { source: 'system', path: sys, size: s.size };
  }
  return { source: 'missing' };
}

/**
 * "Can this first-stage file be served?" for the boot policy, asked per request: a file that appears later
 * (a build finishing, a copy into the boot root) is used within `ttlMs`. The short memo keeps a flood of PXE
 * DISCOVERs from turning into a flood of stat() calls.
 */
export function firstStageLookup(
  bootRoot: string,
  systemDir = SYSTEM_IPXE_DIR,
  ttlMs = 2000,
  now: () => number = Date.now,
): (name: string) => boolean {
  const memo = new Map<string, { exists: boolean; at: number }>();
  return (name) => {
    const hit = memo.get(name);
    if (hit && now() - hit.at < ttlMs) return hit.exists;
    const exists = locate(name, bootRoot, systemDir).source !== 'missing';
    if (memo.size > 100) memo.clear();
    memo.set(name, { exists, at: now() });
    return exists;
  };
}

export function firstStageReport(opts: {
  bootRoot: string;
  names: FirstStageNames;
  overrides: Map<string, string>;
  systemDir?: string;
  packageVersion?: string | null;
}): FirstStageReport {
  const systemDir = opts.systemDir ?? SYSTEM_IPXE_DIR;
  const version = opts.packageVersion === undefined ? systemIpxeVersion() : opts.packageVersion;
  const entry = (use: string, file: string): FirstStageEntry => {
    const where = locate(file, opts.bootRoot, systemDir);
    if (where.source === 'system') {
      return {
        use,
        file,
        ...where,
        lacks: systemLacks(version),
        note: `system iPXE ${version ?? ''} from ${systemDir}`.replace('  ', ' '),
      };
    }
    if (where.source === 'boot-root') {
      // Built by Bootlab (services/builder/served.ts): say what it was built with and what it lacks.
      const built = where.path ? servedBuildInfo(where.path) : undefined;
      if (built) return { use, file, ...where, ...describeServed(built) };
      return { use, file, ...where, lacks: [], note: 'from the boot root' };
    }
    const arch = /arm|i386|ia32/.test(file) || use.includes('ARM') || use.includes('IA32');
    return {
      use,
      file,
      source: 'missing',
      lacks: [],
      note:
        (arch
          ? `not found: the system iPXE package has no ${use} build; build it on the Builder page or copy ${file} into the boot root`
          : `not found in the boot root or ${systemDir}`) +
        (use.startsWith('override')
          ? ''
          : `. ${use} machines get no boot file until it is there (never a name that would fail).`),
    };
  };
  const entries = (Object.keys(PLATFORM_LABEL) as Platform[]).map((p) =>
    entry(PLATFORM_LABEL[p], opts.names[p]),
  );
  for (const [mac, file] of opts.overrides) entries.push(entry(`override ${mac}`, file));
  const files = SYSTEM_IPXE_FILES.filter((f) => statFile(join(systemDir, f)));
  const anyIpxe = entries
    .slice(0, 5)
    .some((e) => e.source !== 'missing' && (e.use.startsWith('BIOS') || e.use === 'UEFI x64'));
  return {
    entries,
    system: { dir: systemDir, packageVersion: version, files },
    howToGet: anyIpxe ? undefined : HOW_TO_GET_IPXE,
  };
}

/**
 * Serves the system iPXE binaries by name ("undionly.kpxe") to TFTP and HTTP, unless the boot root has its
 * own file of that name (the user's build wins). Register with ctx.runtime.addVirtualFiles().
 */
export function systemIpxeProvider(bootRoot: string, systemDir = SYSTEM_IPXE_DIR): VirtualFileProvider {
  return (path) => {
    const name = path.replace(/^\/+/, '');
    if (name.includes('/') || !SYSTEM_IPXE_FILES.includes(name)) return undefined;
    if (statFile(join(bootRoot, name))) return undefined;
    const full = join(systemDir, name);
    const st = statFile(full);
    if (!st) return undefined;
    const file: VirtualFile = {
      size: st.size,
      mtime: st.mtime,
      open: (range) =>
        range ? createReadStream(full, { start: range.start, end: range.end }) : createReadStream(full),
    };
    return file;
  };
}
