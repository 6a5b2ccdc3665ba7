import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { QemuVm } from '../../services/lab/qemu-runner.js';
import { BootlabError } from '../../services/shared/errors.js';
import { findLabTools, type LabFirmware, type LabNicModel } from '../../services/lab/qemu-args.js';
import { markerLine } from './boot-payload.js';
import type { LabNet } from './lab-net.js';
import { labUnavailableReason } from './lab-net.js';

/**
 * Boots one QEMU VM on the lab bridge and waits for the payload's marker line on its serial console.
 * Returns the stage timeline (for the test output and the benchmark).
 */

/** TCG budget: a BIOS boot to the marker takes seconds, a UEFI one about 15-40 s on 2 busy cores. */
export const BOOT_TIMEOUT_MS: Record<LabFirmware, number> = {
  bios: 120_000,
  uefi: 240_000,
  'uefi-ipxe': 240_000,
  'uefi-http': 240_000,
  // SMM emulation, shim + GRUB verification and GRUB's 1 KiB TFTP blocks: slower than plain OVMF.
  'uefi-secureboot': 420_000,
  // Whole-system ARM64 emulation under TCG (firmware, iPXE, kernel): minutes on a busy machine.
  'arm64-uefi': 600_000,
};

/** Why QEMU boots cannot run here, or undefined. Only for tools that are really missing. */
export function labBootUnavailableReason(firmware: LabFirmware = 'bios'): string | undefined {
  const ns = labUnavailableReason();
  if (ns) return ns;
  if (spawnSync('qemu-system-x86_64', ['--version']).status !== 0)
    return 'qemu-system-x86_64 is not installed (Debian package qemu-system-x86)';
  if (!existsSync('/dev/net/tun')) return '/dev/net/tun is missing (tap devices for the lab)';
  if (spawnSync('dnsmasq', ['--version']).status !== 0)
    return 'dnsmasq is not installed (Debian package dnsmasq-base)';
  if (firmware !== 'bios' && !existsSync('/usr/share/OVMF/OVMF_CODE_4M.fd'))
    return 'OVMF is not installed (Debian package ovmf)';
  try {
    findLabTools({ firmware, nic: 'virtio' }); // the matrix firmwares: aarch64 QEMU, AAVMF, secboot OVMF
  } catch (err) {
    return err instanceof BootlabError ? `${err.message} ${err.hint}` : String(err);
  }
  return undefined;
}

/**
 * A QEMU VM (virtio NIC, TCG, no reboot) on a new tap device on the lab bridge, not started yet; stop()
 * stops it and removes the tap.
 */
export function labVm(
  lab: LabNet,
  opts: { mac: string; memoryMb: number; firmware?: LabFirmware },
): { vm: QemuVm; stop: () => Promise<void> } {
  const tap = lab.addTap();
  const vm = new QemuVm({
    firmware: opts.firmware ?? 'bios',
    nic: 'virtio',
    mac: opts.mac,
    memoryMb: opts.memoryMb,
    network: { mode: 'tap', ifname: tap },
    netns: lab.ns.name,
    accel: 'tcg',
    noReboot: true,
  });
  return {
    vm,
    stop: async () => {
      await vm.stop();
      lab.removeTap(tap);
    },
  };
}

export interface LabBootResult {
  vm: QemuVm;
  markerAtMs: number;
  /** "firmware-dhcp 5.7s (+5.7) | ..." */
  timings: string;
  stages: ReturnType<QemuVm['timeline']['summary']>;
}

export async function bootToMarker(
  lab: LabNet,
  opts: {
    firmware: LabFirmware;
    marker: string;
    nic?: LabNicModel;
    mac?: string;
    memoryMb?: number;
    timeoutMs?: number;
    /** Wait for this console text instead of the marker line (e.g. a firmware's refusal). */
    waitFor?: string;
  },
): Promise<LabBootResult> {
  const tap = lab.addTap();
  const vm = new QemuVm({
    firmware: opts.firmware,
    nic: opts.nic ?? 'virtio',
    mac: opts.mac,
    memoryMb: opts.memoryMb ?? 512,
    network: { mode: 'tap', ifname: tap },
    netns: lab.ns.name,
    accel: 'tcg',
    noReboot: true,
    marker: markerLine(opts.marker),
  });
  try {
    vm.start();
    const markerAtMs = await vm.waitForConsole(
      opts.waitFor ?? markerLine(opts.marker),
      opts.timeoutMs ?? BOOT_TIMEOUT_MS[opts.firmware],
    );
    if (opts.waitFor) return { vm, markerAtMs, timings: vm.timeline.format(), stages: vm.timeline.summary() };
    // /init powers off right after the marker; QEMU exits on its own (-no-reboot).
    await Promise.race([vm.waitForExit(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    return { vm, markerAtMs, timings: vm.timeline.format(), stages: vm.timeline.summary() };
  } finally {
    await vm.stop();
    lab.removeTap(tap);
    // BOOTLAB_LAB_CONSOLE_DIR=dir keeps every VM's console (escapes removed) for a look after the run.
    const keep = process.env.BOOTLAB_LAB_CONSOLE_DIR;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      writeFileSync(join(keep, `${opts.firmware}-${opts.marker}.log`), vm.consoleText());
    }
  }
}
