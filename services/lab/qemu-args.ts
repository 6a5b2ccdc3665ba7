import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BootlabError } from '../shared/errors.js';

/**
 * What a test-boot VM looks like and how that becomes a qemu-system-x86_64 (or qemu-system-aarch64)
 * command line. Pure apart from the file checks in findLabTools(), so the argument building is
 * unit-tested without QEMU.
 */

/**
 * - bios: SeaBIOS with QEMU's iPXE NIC ROM (the ROM is iPXE, so it sends user-class "iPXE" at once).
 * - uefi: OVMF with its own network stack (VirtioNetDxe + PxeBcDxe), a non-iPXE PXE client like a real PC;
 *   the NIC gets no option ROM (romfile=) so OVMF's driver, not iPXE's, owns it.
 * - uefi-ipxe: OVMF with QEMU's iPXE EFI ROM driving the NIC.
 * The boot-matrix firmwares (issue 16; e2e tests and the boot benchmark, not offered on the Test boot page):
 * - uefi-http: OVMF with its PXE boot options switched off (fw_cfg opt/org.tianocore/IPv4PXESupport and
 *   IPv6PXESupport, read by NetworkPkg PxeBcDxe), so only "UEFI HTTPv4/HTTPv6" (HttpBootDxe) remain: UEFI
 *   HTTP Boot with no TFTP at all.
 * - uefi-secureboot: q35 + SMM with Debian's OVMF_CODE_4M.secboot.fd and OVMF_VARS_4M.ms.fd (Secure Boot on,
 *   Microsoft's keys enrolled): only signed first stages run (shim -> GRUB -> signed kernel).
 * - arm64-uefi: qemu-system-aarch64 `virt` with Debian's AAVMF (qemu-efi-aarch64) and its own virtio-net
 *   driver; the PL011 UART is the serial console (ttyAMA0).
 */
export type LabFirmware = 'bios' | 'uefi' | 'uefi-ipxe' | 'uefi-http' | 'uefi-secureboot' | 'arm64-uefi';
export type LabNicModel = 'virtio' | 'e1000' | 'rtl8139';
/** The firmwares of the app's Test boot page. */
export const LAB_FIRMWARES = ['bios', 'uefi', 'uefi-ipxe'] as const satisfies readonly LabFirmware[];
/** Firmwares that boot through OVMF/AAVMF's own network stack (no iPXE option ROM on the NIC). */
const FIRMWARE_NETWORK: readonly LabFirmware[] = ['uefi', 'uefi-http', 'uefi-secureboot', 'arm64-uefi'];

/** True when the NIC gets no iPXE option ROM: the firmware's own driver owns it. */
export function usesFirmwareNetworkStack(firmware: LabFirmware): boolean {
  return FIRMWARE_NETWORK.includes(firmware);
}

/** The console device the guest kernel should print to (the marker line goes there). */
export function guestSerialConsole(firmware: LabFirmware): 'ttyS0' | 'ttyAMA0' {
  return firmware === 'arm64-uefi' ? 'ttyAMA0' : 'ttyS0';
}
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
const AAVMF_DIRS = ['/usr/share/AAVMF', '/usr/share/edk2/aarch64', '/usr/share/qemu'];
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
  if (spec.firmware === 'arm64-uefi') return findArm64Tools(spec.nic);
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
  if (!usesFirmwareNetworkStack(spec.firmware)) {
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
  if (spec.firmware === 'uefi-secureboot') {
    // Secure Boot build (SMM required) + a variable store with Microsoft's KEK/db enrolled (Debian ovmf).
    tools.ovmfCode = firstExisting(OVMF_DIRS, ['OVMF_CODE_4M.secboot.fd']);
    tools.ovmfVars = tools.ovmfCode
      ? firstExisting([join(tools.ovmfCode, '..')], ['OVMF_VARS_4M.ms.fd'])
      : undefined;
    if (!tools.ovmfCode || !tools.ovmfVars) {
      throw new BootlabError(
        'LAB_TOOL_MISSING',
        'The Secure Boot UEFI firmware for QEMU (OVMF_CODE_4M.secboot.fd with OVMF_VARS_4M.ms.fd) is not installed, so a Secure Boot test boot cannot start.',
        'Install it: on Debian/Ubuntu "sudo apt-get install ovmf".',
        { tool: 'OVMF secboot', packages: ['ovmf'] },
      );
    }
  } else if (spec.firmware !== 'bios') {
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
  if (usesFirmwareNetworkStack(spec.firmware) && spec.nic !== 'virtio') {
    // Debian's OVMF carries a network driver for virtio-net only; e1000/rtl8139 need the iPXE ROM.
    throw new BootlabError(
      'BAD_REQUEST',
      `OVMF's own network stack has no driver for the ${spec.nic} NIC, so this VM could not network-boot.`,
      'Choose the virtio NIC for UEFI with OVMF PXE, or the firmware "UEFI with iPXE ROM" for e1000/rtl8139.',
    );
  }
  return tools;
}

/** qemu-system-aarch64 + AAVMF (Debian qemu-system-arm, qemu-efi-aarch64). */
function findArm64Tools(nic: LabNicModel): LabTools {
  const qemu = process.env.BOOTLAB_QEMU_AARCH64 ?? findOnPath('qemu-system-aarch64');
  if (!qemu) {
    throw new BootlabError(
      'LAB_TOOL_MISSING',
      'QEMU for ARM64 (qemu-system-aarch64) is not installed, so Bootlab cannot start an ARM64 test-boot VM.',
      'Install it: on Debian/Ubuntu "sudo apt-get install qemu-system-arm qemu-efi-aarch64".',
      { tool: 'qemu-system-aarch64', packages: ['qemu-system-arm'] },
    );
  }
  const ovmfCode = firstExisting(AAVMF_DIRS, ['AAVMF_CODE.fd', 'QEMU_EFI-pflash.raw']);
  const ovmfVars = ovmfCode
    ? firstExisting([join(ovmfCode, '..')], ['AAVMF_VARS.fd', 'vars-template-pflash.raw'])
    : undefined;
  if (!ovmfCode || !ovmfVars) {
    throw new BootlabError(
      'LAB_TOOL_MISSING',
      'The ARM64 UEFI firmware for QEMU (AAVMF_CODE.fd and AAVMF_VARS.fd) is not installed, so an ARM64 test boot cannot start.',
      'Install it: on Debian/Ubuntu "sudo apt-get install qemu-efi-aarch64".',
      { tool: 'AAVMF', packages: ['qemu-efi-aarch64'] },
    );
  }
  if (nic !== 'virtio') {
    throw new BootlabError(
      'BAD_REQUEST',
      `The ARM64 firmware has no driver for the ${nic} NIC, so this VM could not network-boot.`,
      'Choose the virtio NIC for ARM64.',
    );
  }
  return { qemu, ovmfCode, ovmfVars };
}

/**
 * The qemu-system-x86_64 arguments. `stateDir` holds this VM's OVMF variable store copy (vars.fd) and the
 * QMP socket (qmp.sock). The serial console is on stdio (the runner streams it); there is no display.
 */
export function buildQemuArgs(spec: LabVmSpec, tools: LabTools, stateDir: string): string[] {
  const nic = NIC_DEVICES[spec.nic];
  // graphics=off: SeaBIOS mirrors its text console (and the iPXE ROM's) to the serial port ("sercon").
  // Secure Boot OVMF needs q35 with SMM, and its flash locked to SMM (OvmfPkg/README "Secure Boot").
  // ARM64: the virt board; cortex-a57 (not "max": pointer authentication is slow under TCG).
  const machine =
    spec.firmware === 'arm64-uefi'
      ? ['virt', '-cpu', 'cortex-a57']
      : spec.firmware === 'uefi-secureboot'
        ? ['q35,smm=on', '-global', 'driver=cfi.pflash01,property=secure,value=on']
        : ['pc,graphics=off'];
  const args = ['-machine', ...machine, '-accel', spec.accel, '-m', String(spec.memoryMb), '-nodefaults'];
  args.push('-display', 'none', '-chardev', 'stdio,id=con0,signal=off', '-serial', 'chardev:con0');
  args.push('-qmp', `unix:${join(stateDir, 'qmp.sock')},server=on,wait=off`);
  if (spec.noReboot) args.push('-no-reboot');
  if (spec.firmware !== 'bios') {
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${tools.ovmfCode}`);
    args.push('-drive', `if=pflash,format=raw,unit=1,file=${join(stateDir, 'vars.fd')}`);
  }
  if (spec.firmware === 'uefi-http') {
    for (const knob of ['IPv4PXESupport', 'IPv6PXESupport'])
      args.push('-fw_cfg', `name=opt/org.tianocore/${knob},string=no`);
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
  const rom = usesFirmwareNetworkStack(spec.firmware) ? ',romfile=' : '';
  args.push('-device', `${nic.device},netdev=n0,mac=${spec.mac},bootindex=1${rom}`);
  return args;
}

/** A random locally administered MAC in QEMU's 52:54:00 range. */
export function randomLabMac(): string {
  const b = Array.from({ length: 3 }, () => Math.floor(Math.random() * 256));
  return ['52', '54', '00', ...b.map((x) => x.toString(16).padStart(2, '0'))].join(':');
}
