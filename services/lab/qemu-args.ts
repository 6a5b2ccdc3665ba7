import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BootlabError } from '../shared/errors.js';

/**
 * What a test-boot VM looks like and how that becomes a qemu-system-x86_64 command line. Pure apart from
 * the file checks in findLabTools(), so the argument building is unit-tested without QEMU.
 */

/**
 * - bios: SeaBIOS with QEMU's iPXE NIC ROM (the ROM is iPXE, so it sends user-class "iPXE" at once).
 * - uefi: OVMF with its own network stack (VirtioNetDxe + PxeBcDxe), a non-iPXE PXE client like a real PC;
 *   the NIC gets no option ROM (romfile=) so OVMF's driver, not iPXE's, owns it.
 * - uefi-ipxe: OVMF with QEMU's iPXE EFI ROM driving the NIC.
 */
export type LabFirmware = 'bios' | 'uefi' | 'uefi-ipxe';
export type LabNicModel = 'virtio' | 'e1000' | 'rtl8139';
export const LAB_FIRMWARES: readonly LabFirmware[] = ['bios', 'uefi', 'uefi-ipxe'];
export const LAB_NIC_MODELS: readonly LabNicModel[] = ['virtio', 'e1000', 'rtl8139'];

/** QEMU device name and the iPXE ROM QEMU loads for it by default (Debian package ipxe-qemu). */
const NIC_DEVICES: Record<LabNicModel, { device: string; rom: string }> = {
  virtio: { device: 'virtio-net-pci', rom: 'efi-virtio.rom' },
  e1000: { device: 'e1000', rom: 'efi-e1000.rom' },
  rtl8139: { device: 'rtl8139', rom: 'efi-rtl8139.rom' },
};

export type LabNetwork =
  /** A tap device that already exists (created by the lab, attached to the bridge Bootlab serves). */
  | { mode: 'tap'; ifname: string }
  /**
   * QEMU user networking: QEMU's own DHCP answers, so only Bootlab's HTTP menu is exercised (DHCP and
   * TFTP are not). bootUrl is handed to iPXE as the boot file name (QEMU slirp `bootfile=`).
   */
  | { mode: 'user'; bootUrl: string };

export interface LabVmSpec {
  firmware: LabFirmware;
  nic: LabNicModel;
  memoryMb: number;
  /** Locally administered unicast, e.g. 52:54:00:77:00:01. */
  mac: string;
  network: LabNetwork;
  /** tcg works everywhere (CI); kvm only where /dev/kvm really works. */
  accel: 'tcg' | 'kvm';
  /** Exit instead of rebooting (tests: a poweroff or a panic ends the run). */
  noReboot: boolean;
}

export interface LabTools {
  qemu: string;
  /** Absolute paths, set when the firmware needs them. */
  ovmfCode?: string;
  ovmfVars?: string;
  nicRom?: string;
}

const OVMF_DIRS = ['/usr/share/OVMF', '/usr/share/edk2/ovmf', '/usr/share/qemu'];
const ROM_DIRS = ['/usr/lib/ipxe/qemu', '/usr/share/qemu', '/usr/share/ipxe'];

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function firstExisting(dirs: string[], names: string[]): string | undefined {
  for (const dir of dirs) for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

/**
 * Finds QEMU and the firmware files this VM needs, or throws a BootlabError naming the Debian packages to
 * install (qemu-system-x86, ovmf, ipxe-qemu).
 */
export function findLabTools(spec: Pick<LabVmSpec, 'firmware' | 'nic'>): LabTools {
  const qemu = process.env.BOOTLAB_QEMU ?? findOnPath('qemu-system-x86_64');
  if (!qemu) {
    throw new BootlabError(
      'LAB_TOOL_MISSING',
      'QEMU (qemu-system-x86_64) is not installed, so Bootlab cannot start a test-boot VM.',
      'Install it: on Debian/Ubuntu "sudo apt-get install qemu-system-x86", on Fedora "sudo dnf install qemu-system-x86".',
      { tool: 'qemu-system-x86_64', packages: ['qemu-system-x86'] },
    );
  }
  const tools: LabTools = { qemu };
  if (spec.firmware !== 'uefi') {
    tools.nicRom = firstExisting(ROM_DIRS, [NIC_DEVICES[spec.nic].rom]);
    if (!tools.nicRom) {
      throw new BootlabError(
        'LAB_TOOL_MISSING',
        `QEMU's iPXE network ROM ${NIC_DEVICES[spec.nic].rom} is missing, so the ${spec.nic} NIC cannot network-boot.`,
        'Install it: on Debian/Ubuntu "sudo apt-get install ipxe-qemu".',
        { tool: NIC_DEVICES[spec.nic].rom, packages: ['ipxe-qemu'] },
      );
    }
  }
  if (spec.firmware !== 'bios') {
    tools.ovmfCode = firstExisting(OVMF_DIRS, ['OVMF_CODE_4M.fd', 'OVMF_CODE.fd']);
    const vars = tools.ovmfCode?.endsWith('_4M.fd') ? 'OVMF_VARS_4M.fd' : 'OVMF_VARS.fd';
    tools.ovmfVars = tools.ovmfCode ? firstExisting([join(tools.ovmfCode, '..')], [vars]) : undefined;
    if (!tools.ovmfCode || !tools.ovmfVars) {
      throw new BootlabError(
        'LAB_TOOL_MISSING',
        'The UEFI firmware for QEMU (OVMF_CODE_4M.fd and OVMF_VARS_4M.fd) is not installed, so a UEFI test boot cannot start.',
        'Install it: on Debian/Ubuntu "sudo apt-get install ovmf", or choose the BIOS firmware.',
        { tool: 'OVMF', packages: ['ovmf'] },
      );
    }
  }
  if (spec.firmware === 'uefi' && spec.nic !== 'virtio') {
    // Debian's OVMF carries a network driver for virtio-net only; e1000/rtl8139 need the iPXE ROM.
    throw new BootlabError(
      'BAD_REQUEST',
      `OVMF's own network stack has no driver for the ${spec.nic} NIC, so this VM could not network-boot.`,
      'Choose the virtio NIC for UEFI with OVMF PXE, or the firmware "UEFI with iPXE ROM" for e1000/rtl8139.',
    );
  }
  return tools;
}

/**
 * The qemu-system-x86_64 arguments. `stateDir` holds this VM's OVMF variable store copy (vars.fd) and the
 * QMP socket (qmp.sock). The serial console is on stdio (the runner streams it); there is no display.
 */
export function buildQemuArgs(spec: LabVmSpec, tools: LabTools, stateDir: string): string[] {
  const nic = NIC_DEVICES[spec.nic];
  // graphics=off: SeaBIOS mirrors its text console (and the iPXE ROM's) to the serial port ("sercon").
  const args = [
    '-machine',
    'pc,graphics=off',
    '-accel',
    spec.accel,
    '-m',
    String(spec.memoryMb),
    '-nodefaults',
  ];
  args.push('-display', 'none', '-chardev', 'stdio,id=con0,signal=off', '-serial', 'chardev:con0');
  args.push('-qmp', `unix:${join(stateDir, 'qmp.sock')},server=on,wait=off`);
  if (spec.noReboot) args.push('-no-reboot');
  if (spec.firmware !== 'bios') {
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${tools.ovmfCode}`);
    args.push('-drive', `if=pflash,format=raw,unit=1,file=${join(stateDir, 'vars.fd')}`);
  }
  if (spec.network.mode === 'tap') {
    args.push('-netdev', `tap,id=n0,ifname=${spec.network.ifname},script=no,downscript=no`);
  } else {
    // QEMU's built-in DHCP hands the URL to iPXE as its boot file (slirp bootfile=).
    args.push('-netdev', `user,id=n0,bootfile=${spec.network.bootUrl}`);
  }
  // romfile= (empty) keeps iPXE off the NIC so OVMF's own PXE client does the boot. Otherwise QEMU's
  // default ROM (the efi-*.rom findLabTools checked) is used: an explicit absolute romfile= path made
  // SeaBIOS skip the NIC in its boot order (observed with QEMU 7.2 / SeaBIOS 1.16).
  const rom = spec.firmware === 'uefi' ? ',romfile=' : '';
  args.push('-device', `${nic.device},netdev=n0,mac=${spec.mac},bootindex=1${rom}`);
  return args;
}

/** A random locally administered MAC in QEMU's 52:54:00 range. */
export function randomLabMac(): string {
  const b = Array.from({ length: 3 }, () => Math.floor(Math.random() * 256));
  return ['52', '54', '00', ...b.map((x) => x.toString(16).padStart(2, '0'))].join(':');
}
