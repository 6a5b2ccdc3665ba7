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

/** Kernel command line that makes /init print this marker on ttyS0 and power off. */
export function markerCmdline(marker: string): string {
  // quiet: keep the TCG serial console short; panic=-1 + QEMU -no-reboot ends the VM on a kernel panic.
  return `console=ttyS0 quiet panic=-1 bootlab.marker=${marker}`;
}

/** The console line that proves this boot reached userspace. */
export function markerLine(marker: string): string {
  return `${MARKER_PREFIX}${marker} `;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Which kernel package apt would install for linux-image-amd64, e.g. { name: 'linux-image-6.1.0-56-amd64', version }. */
function resolveKernelPackage(): { name: string; version: string } {
  const meta = process.env.BOOTLAB_LAB_KERNEL_PACKAGE ?? 'linux-image-amd64';
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
export function ensureBootPayload(opts: { cacheRoot?: string; busybox?: string } = {}): BootPayload {
  const cacheRoot = opts.cacheRoot ?? join(tmpdir(), 'bootlab-payload');
  const busybox = opts.busybox ?? '/bin/busybox';
  if (!existsSync(busybox)) {
    throw new Error(
      `${busybox} is missing: install the Debian package busybox-static (the lab initramfs is built from it).`,
    );
  }
  const pkg = resolveKernelPackage();
  const bbHash = sha256(busybox).slice(0, 12);
  const key = `${pkg.name}_${pkg.version}_bb-${bbHash}_init-${INIT_FORMAT}`.replace(/[^A-Za-z0-9._+-]/g, '_');
  const dir = join(cacheRoot, key);
  const cached = readCached(dir);
  if (cached) return cached;

  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(join(cacheRoot, '.build-'));
  chmodSync(tmp, 0o755);
  try {
    extractKernel(pkg, tmp);
    writeFileSync(join(tmp, 'initrd.gz'), buildInitrd(busybox));
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
