import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildCpio } from './lab-cpio.js';

/**
 * The boot payload of the lab tests: a Debian kernel (bzImage with the EFI stub, so it boots from iPXE on
 * BIOS and on UEFI) and a busybox initramfs whose /init prints the marker given on the kernel command line
 * (`bootlab.marker=XYZ`) to the serial console and powers the VM off. Built once and cached under
 * `${os.tmpdir()}/bootlab-payload/<key>`, the key naming the kernel package version, busybox and the init.
 */

/** The line /init prints; tests wait for `${MARKER_PREFIX}${marker}`. Not in the command line itself. */
export const MARKER_PREFIX = 'BOOTLAB-LAB-MARKER:';

/** Bump when the initramfs layout or /init changes, so cached payloads are rebuilt. */
const INIT_FORMAT = 3;

const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
m=none
for w in $(/bin/busybox cat /proc/cmdline); do
  case "$w" in bootlab.marker=*) m="\${w#bootlab.marker=}" ;; esac
done
up=$(/bin/busybox cut -d' ' -f1 /proc/uptime)
echo "${MARKER_PREFIX}$m uptime=$up"
/bin/busybox sync
/bin/busybox poweroff -f
`;

export interface BootPayload {
  dir: string;
  /** bzImage with EFI stub. */
  kernel: string;
  /** gzip'd newc cpio. */
  initrd: string;
  kernelPackage: string;
  kernelVersion: string;
  sha256: { kernel: string; initrd: string };
}

/** A fresh, unique marker for one boot. */
export function newMarker(): string {
  return `m${randomBytes(6).toString('hex')}`;
}

/**
 * Kernel command line that makes /init print this marker on the serial console and power off. `console`
 * is ttyS0 on x86, ttyAMA0 (the PL011 UART of QEMU's virt board) on ARM64.
 */
export function markerCmdline(marker: string, console: 'ttyS0' | 'ttyAMA0' = 'ttyS0'): string {
  // quiet: keep the TCG serial console short; panic=-1 + QEMU -no-reboot ends the VM on a kernel panic.
  // no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can miss its ticks and panic
  // ("IO-APIC + timer doesn't work!", observed on q35 with 4 VMs on 2 busy cores); the check proves nothing here.
  return `console=${console} quiet panic=-1 no_timer_check bootlab.marker=${marker}`;
}

/** The console line that proves this boot reached userspace. */
export function markerLine(marker: string): string {
  return `${MARKER_PREFIX}${marker} `;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Debian architecture of the payload: amd64 (BIOS/UEFI x86-64 VMs) or arm64 (the ARM64 UEFI VM). */
export type PayloadArch = 'amd64' | 'arm64';

/**
 * Makes apt know the foreign architecture's packages (`dpkg --add-architecture arm64` + `apt-get update`),
 * once, when it does not yet. Needs root (CI runs as root); the error says what to run otherwise.
 */
function ensureForeignArch(arch: PayloadArch): void {
  if (
    arch === 'amd64' ||
    spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim() === arch
  )
    return;
  const known = (): boolean =>
    /Candidate:\s+(?!\(none\))\S+/.test(
      spawnSync('apt-cache', ['policy', `busybox-static:${arch}`], { encoding: 'utf8' }).stdout ?? '',
    );
  if (known()) return;
  const foreign = spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).stdout ?? '';
  const steps: string[][] = foreign.split(/\s+/).includes(arch) ? [] : [['dpkg', '--add-architecture', arch]];
  steps.push(['flock', '/tmp/apt.lock', 'apt-get', 'update', '-q']);
  for (const [cmd, ...args] of steps) {
    const r = spawnSync(cmd!, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(
        `Preparing apt for ${arch} packages failed at "${[cmd, ...args].join(' ')}": ${(r.stderr || r.stdout || String(r.error)).trim().slice(-500)}. ` +
          `Run as root: "dpkg --add-architecture ${arch} && apt-get update" (the ${arch} lab payload is downloaded with apt-get download).`,
      );
    }
  }
  if (!known()) throw new Error(`apt still knows no busybox-static:${arch} after "apt-get update".`);
}

/** Which kernel package apt would install for linux-image-<arch>, e.g. { name: 'linux-image-6.1.0-56-amd64', version }. */
function resolveKernelPackage(arch: PayloadArch = 'amd64'): { name: string; version: string } {
  const meta =
    arch === 'amd64'
      ? (process.env.BOOTLAB_LAB_KERNEL_PACKAGE ?? 'linux-image-amd64')
      : `linux-image-${arch}:${arch}`;
  const deps = spawnSync('apt-cache', ['depends', meta], { encoding: 'utf8' });
  const name = /Depends:\s+(linux-image-\S+)/.exec(deps.stdout ?? '')?.[1] ?? meta;
  const policy = spawnSync('apt-cache', ['policy', name], { encoding: 'utf8' });
  const version = /Candidate:\s+(\S+)/.exec(policy.stdout ?? '')?.[1];
  if (!version || version === '(none)') {
    throw new Error(
      `Cannot find a Debian kernel package to build the lab payload (apt-cache knows no candidate for ${name}). ` +
        'Run "apt-get update" (the lab payload downloads linux-image-*-amd64 with "apt-get download").',
    );
  }
  return { name, version };
}

function buildInitrd(busybox: string): Buffer {
  const bb = readFileSync(busybox);
  return gzipSync(
    buildCpio([
      { type: 'dir', path: 'bin' },
      { type: 'dir', path: 'dev' },
      { type: 'dir', path: 'proc' },
      { type: 'dir', path: 'sys' },
      // The kernel opens /dev/console for init's stdio (init/main.c console_on_rootfs); an initramfs must bring it.
      { type: 'chardev', path: 'dev/console', major: 5, minor: 1 },
      { type: 'file', path: 'bin/busybox', data: bb, mode: 0o755 },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      { type: 'file', path: 'init', data: Buffer.from(INIT_SCRIPT), mode: 0o755 },
    ]),
    { level: 9 },
  );
}

/** Downloads one Debian package (apt-get download) and unpacks it; returns the unpacked root. */
function downloadAndUnpack(pkg: string, work: string): string {
  // apt-get download drops privileges to _apt when it can; a world-writable dir keeps it quiet.
  execFileSync('chmod', ['0777', work]);
  const dl = spawnSync('apt-get', ['download', '-q', pkg], { cwd: work, encoding: 'utf8' });
  const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
  if (!deb) {
    throw new Error(
      `Downloading ${pkg} failed: ${(dl.stderr || dl.stdout || '').trim()}. ` +
        'The lab payload needs apt access once (the result is cached).',
    );
  }
  const root = join(work, 'root');
  mkdirSync(root);
  execFileSync('dpkg-deb', ['-x', join(work, deb), root]);
  return root;
}

/** The static busybox of a foreign architecture (Debian busybox-static:<arch>), copied to `dest`. */
function foreignBusybox(arch: PayloadArch, dest: string): void {
  const work = mkdtempSync(join(tmpdir(), 'bootlab-bbdeb-'));
  try {
    const root = downloadAndUnpack(`busybox-static:${arch}`, work);
    writeFileSync(dest, readFileSync(join(root, 'bin', 'busybox')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function extractKernel(pkg: { name: string; version: string }, into: string): string {
  const work = mkdtempSync(join(tmpdir(), 'bootlab-kdeb-'));
  try {
    // apt-get download drops privileges to _apt when it can; a world-writable dir keeps it quiet.
    execFileSync('chmod', ['0777', work]);
    const dl = spawnSync('apt-get', ['download', '-q', `${pkg.name}=${pkg.version}`], {
      cwd: work,
      encoding: 'utf8',
    });
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) {
      throw new Error(
        `Downloading ${pkg.name} ${pkg.version} failed: ${(dl.stderr || dl.stdout || '').trim()}. ` +
          'The lab payload needs apt access once (the result is cached).',
      );
    }
    const root = join(work, 'root');
    mkdirSync(root);
    execFileSync('dpkg-deb', ['-x', join(work, deb), root]);
    const vmlinuz = readdirSync(join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`${deb} has no /boot/vmlinuz-*: not a kernel image package.`);
    const dest = join(into, 'vmlinuz');
    writeFileSync(dest, readFileSync(join(root, 'boot', vmlinuz)));
    return vmlinuz;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readCached(dir: string): BootPayload | undefined {
  const metaFile = join(dir, 'payload.json');
  if (!existsSync(metaFile)) return undefined;
  return JSON.parse(readFileSync(metaFile, 'utf8')) as BootPayload;
}

/**
 * Returns the cached payload, building it first when missing. Safe when several test files call it at
 * once: each builds in its own temporary directory and the first rename wins.
 */
export function ensureBootPayload(
  opts: { cacheRoot?: string; busybox?: string; arch?: PayloadArch } = {},
): BootPayload {
  const cacheRoot = opts.cacheRoot ?? join(tmpdir(), 'bootlab-payload');
  const arch = opts.arch ?? 'amd64';
  // ARM64: the kernel (an uncompressed Image with the EFI stub) and busybox come from Debian's arm64 packages.
  const busybox = arch === 'amd64' ? (opts.busybox ?? '/bin/busybox') : `busybox-static:${arch}`;
  if (arch === 'amd64' && !existsSync(busybox)) {
    throw new Error(
      `${busybox} is missing: install the Debian package busybox-static (the lab initramfs is built from it).`,
    );
  }
  ensureForeignArch(arch);
  const pkg = resolveKernelPackage(arch);
  const bbHash =
    arch === 'amd64'
      ? sha256(busybox).slice(0, 12)
      : (/Candidate:\s+(\S+)/.exec(
          spawnSync('apt-cache', ['policy', busybox], { encoding: 'utf8' }).stdout ?? '',
        )?.[1] ?? 'unknown');
  const key = `${pkg.name}_${pkg.version}_bb-${bbHash}_init-${INIT_FORMAT}`.replace(/[^A-Za-z0-9._+-]/g, '_');
  const dir = join(cacheRoot, key);
  const cached = readCached(dir);
  if (cached) return cached;

  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(join(cacheRoot, '.build-'));
  chmodSync(tmp, 0o755);
  try {
    extractKernel(pkg, tmp);
    let bbFile = busybox;
    if (arch !== 'amd64') {
      bbFile = join(tmp, 'busybox');
      foreignBusybox(arch, bbFile);
    }
    writeFileSync(join(tmp, 'initrd.gz'), buildInitrd(bbFile));
    if (bbFile !== busybox) rmSync(bbFile);
    const payload: BootPayload = {
      dir,
      kernel: join(dir, 'vmlinuz'),
      initrd: join(dir, 'initrd.gz'),
      kernelPackage: pkg.name,
      kernelVersion: pkg.version,
      sha256: { kernel: sha256(join(tmp, 'vmlinuz')), initrd: sha256(join(tmp, 'initrd.gz')) },
    };
    writeFileSync(join(tmp, 'payload.json'), JSON.stringify(payload, null, 2));
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process finished first; use its copy.
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const done = readCached(dir);
  if (!done) throw new Error(`The lab payload in ${dir} is incomplete; delete the directory and run again.`);
  return done;
}
