import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { targetInfo, type ToolNeed } from './catalogue.js';
import type { ToolProblem, ToolchainReport } from './views.js';

/**
 * Checks the build tools before make starts, so a missing piece is reported with its package and the
 * command that installs it, instead of failing deep in the log (docs/ipxe-notes.md §4 lists what each target
 * needs and the errors make gives without it). Where the platform cannot build iPXE at all (Windows, macOS)
 * it says what to do instead.
 */

export interface ToolProbe {
  /** True when `cmd` runs (found on PATH). */
  has(cmd: string): boolean;
  /** True when the C compiler finds the header. */
  hasHeader(header: string): boolean;
  /** True when any of the files exists. */
  anyFile(paths: readonly string[]): boolean;
}

export const systemProbe: ToolProbe = {
  has: (cmd) => {
    const r = spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 5000 });
    return !r.error;
  },
  hasHeader: (header) => {
    const r = spawnSync('gcc', ['-E', '-x', 'c', '-'], {
      input: `#include <${header}>\n`,
      stdio: ['pipe', 'ignore', 'ignore'],
      timeout: 10_000,
    });
    return r.status === 0;
  },
  anyFile: (paths) => paths.some((p) => existsSync(p)),
};

const ISOLINUX = [
  '/usr/lib/ISOLINUX/isolinux.bin',
  '/usr/lib/syslinux/isolinux.bin',
  '/usr/share/syslinux/isolinux.bin',
];
const LDLINUX = [
  '/usr/lib/syslinux/modules/bios/ldlinux.c32',
  '/usr/share/syslinux/ldlinux.c32',
  '/usr/lib/syslinux/ldlinux.c32',
];

interface Piece {
  what: string;
  why: string;
  /** Debian/Ubuntu package. */
  deb: string;
  ok: (p: ToolProbe) => boolean;
}

const CORE: Piece[] = [
  { what: 'gcc', why: 'the C compiler iPXE is built with', deb: 'gcc', ok: (p) => p.has('gcc') },
  { what: 'make', why: 'runs iPXE’s build', deb: 'make', ok: (p) => p.has('make') },
  { what: 'perl', why: 'iPXE’s build scripts are written in Perl', deb: 'perl', ok: (p) => p.has('perl') },
];

const BY_NEED: Record<ToolNeed, Piece[]> = {
  lzma: [
    {
      what: 'lzma.h',
      why: 'BIOS images are compressed with LZMA (util/zbin.c); without it make stops with "lzma.h: No such file or directory"',
      deb: 'liblzma-dev',
      ok: (p) => p.hasHeader('lzma.h'),
    },
  ],
  iso: [
    {
      what: 'isolinux.bin',
      why: 'ISO images boot BIOS machines through isolinux (util/genfsimg)',
      deb: 'isolinux',
      ok: (p) => p.anyFile(ISOLINUX),
    },
    {
      what: 'ldlinux.c32',
      why: 'isolinux needs its ldlinux.c32 module',
      deb: 'syslinux-common',
      ok: (p) => p.anyFile(LDLINUX),
    },
    {
      what: 'xorriso or genisoimage',
      why: 'writes the ISO image',
      deb: 'xorriso',
      ok: (p) => p.has('xorriso') || p.has('genisoimage') || p.has('mkisofs'),
    },
    {
      what: 'mtools',
      why: 'writes the EFI system partition inside the image',
      deb: 'mtools',
      ok: (p) => p.has('mformat'),
    },
  ],
  mtools: [{ what: 'mtools', why: 'writes FAT images', deb: 'mtools', ok: (p) => p.has('mformat') }],
  'cross-arm64': [
    {
      what: 'aarch64-linux-gnu-gcc',
      why: 'ARM64 images need the ARM64 cross compiler (without it gcc says "unrecognized command-line option -mlittle-endian")',
      deb: 'gcc-aarch64-linux-gnu',
      ok: (p) => p.has('aarch64-linux-gnu-gcc'),
    },
  ],
};

const GIT: Piece = { what: 'git', why: 'clones iPXE’s source', deb: 'git', ok: (p) => p.has('git') };

function problem(piece: Piece): ToolProblem {
  return {
    tool: piece.what,
    why: piece.why,
    package: piece.deb,
    install: `sudo apt-get install ${piece.deb}`,
  };
}

/** Where iPXE cannot be built on this operating system: what to do instead (null on Linux). */
export function platformAdvice(platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32')
    return (
      'iPXE builds with the Linux toolchain. On Windows install WSL 2 ("wsl --install -d Debian" in an ' +
      'administrator PowerShell), then inside Debian run "sudo apt-get install gcc make perl liblzma-dev git" and ' +
      'build there with "bootlab build", or point the Builder at a Linux machine’s output.'
    );
  if (platform === 'darwin')
    return (
      'iPXE builds with the Linux toolchain (GNU ld, ELF): macOS’s compiler cannot build it. Use a Linux VM or ' +
      'container (for example "docker run --rm -v $PWD:/src ghcr.io/ipxe/ipxe-builder-x86_64"), or ' +
      'run "bootlab build" on a Linux machine and copy the images into the boot root.'
    );
  return null;
}

/**
 * What is missing to build `targets` (plus git when `needGit`), each with its package and the command
 * that installs it. Order: core tools first, then per-target pieces, each named once.
 */
export function checkToolchain(
  targets: readonly string[],
  opts: { needGit?: boolean; cross?: string; probe?: ToolProbe; platform?: NodeJS.Platform } = {},
): ToolchainReport {
  const probe = opts.probe ?? systemProbe;
  const advice = platformAdvice(opts.platform);
  if (advice) return { ok: false, problems: [], platformAdvice: advice, installCommand: null };
  const pieces: Piece[] = [...CORE];
  if (opts.needGit) pieces.push(GIT);
  for (const id of targets) {
    const t = targetInfo(id);
    for (const need of t?.needs ?? []) {
      if (need === 'cross-arm64' && opts.cross && opts.cross !== 'aarch64-linux-gnu-') {
        const cross = opts.cross;
        pieces.push({
          what: `${cross}gcc`,
          why: 'the cross compiler named for this build',
          deb: `gcc-${cross.replace(/-$/, '')}`,
          ok: (p) => p.has(`${cross}gcc`),
        });
        continue;
      }
      pieces.push(...BY_NEED[need]);
    }
  }
  const seen = new Set<string>();
  const problems: ToolProblem[] = [];
  for (const piece of pieces) {
    if (seen.has(piece.what)) continue;
    seen.add(piece.what);
    if (!piece.ok(probe)) problems.push(problem(piece));
  }
  const pkgs = [...new Set(problems.map((p) => p.package))];
  return {
    ok: problems.length === 0,
    problems,
    platformAdvice: null,
    installCommand: pkgs.length > 0 ? `sudo apt-get install ${pkgs.join(' ')}` : null,
  };
}

/** One message for a failed check: what is missing and the command that installs it. */
export function toolchainMessage(r: ToolchainReport): string {
  if (r.platformAdvice) return r.platformAdvice;
  if (r.ok) return 'All build tools are installed.';
  const list = r.problems.map((p) => `${p.tool} (${p.why}; package ${p.package})`).join('; ');
  return `Cannot build yet: missing ${list}. Install with: ${r.installCommand}`;
}
