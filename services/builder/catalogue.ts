/**
 * What the builder can make: iPXE targets and feature switches, each with one line a technician
 * understands. Node-free (the Builder page imports it). Facts: docs/ipxe-notes.md §4 (targets, media),
 * §4.3-4.4 (config/local overlays and the defaults they change).
 */

export type BuildPlatform = 'pcbios' | 'efi' | 'linux';
export type BuildArch = 'i386' | 'x86_64' | 'arm64';
/** What a target needs beyond gcc, make and perl (toolchain.ts checks it before make starts). */
export type ToolNeed = 'lzma' | 'iso' | 'cross-arm64' | 'mtools';
/** The DHCP first-stage slot a target can fill (services/dhcp/policy.ts platform names). */
export type ServeSlot = 'bios' | 'efi-x64' | 'efi-arm64';

export interface TargetInfo {
  /** The make target, relative to iPXE's src/ (also the id in build requests). */
  id: string;
  /** The file name alone. */
  file: string;
  platform: BuildPlatform;
  arch: BuildArch;
  /** Make's output directory (one work tree per BIN dir: docs/ipxe-notes.md §4 gotcha). */
  binDir: string;
  /** One line for the technician. */
  description: string;
  needs: ToolNeed[];
  /** The DHCP slot this image can be handed out for, when it is a first stage. */
  serveAs?: ServeSlot;
}

const t = (
  id: string,
  platform: BuildPlatform,
  arch: BuildArch,
  description: string,
  needs: ToolNeed[] = [],
  serveAs?: ServeSlot,
): TargetInfo => ({
  id,
  file: id.slice(id.indexOf('/') + 1),
  platform,
  arch,
  binDir: id.slice(0, id.indexOf('/')),
  description,
  needs,
  serveAs,
});

export const TARGETS: readonly TargetInfo[] = [
  t(
    'bin/undionly.kpxe',
    'pcbios',
    'i386',
    'BIOS network boot: uses the network card’s own PXE driver, works on nearly every PC. The usual BIOS first stage.',
    ['lzma'],
    'bios',
  ),
  t(
    'bin/undionly.kkpxe',
    'pcbios',
    'i386',
    'Like undionly.kpxe but returns to the PXE ROM on exit: only for BIOSes that hang when iPXE exits.',
    ['lzma'],
    'bios',
  ),
  t(
    'bin/ipxe.pxe',
    'pcbios',
    'i386',
    'BIOS network boot with iPXE’s own drivers (unloads the card’s PXE stack): for cards whose PXE ROM is buggy.',
    ['lzma'],
    'bios',
  ),
  t(
    'bin/ipxe.lkrn',
    'pcbios',
    'i386',
    'iPXE as a Linux kernel image: start it from GRUB (linux16) or with qemu -kernel.',
    ['lzma'],
  ),
  t(
    'bin/ipxe.iso',
    'pcbios',
    'i386',
    'Bootable CD/ISO image (BIOS) for machines that cannot network boot at all.',
    ['lzma', 'iso'],
  ),
  t(
    'bin/ipxe.usb',
    'pcbios',
    'i386',
    'USB stick image (BIOS): write it to a stick (dd, Rufus, Etcher) for a machine that cannot PXE boot.',
    ['lzma'],
  ),
  t(
    'bin-x86_64-efi/ipxe.efi',
    'efi',
    'x86_64',
    'UEFI x64 with iPXE’s own drivers (falls back to the firmware’s network driver when it has none). Fast on common cards.',
    [],
    'efi-x64',
  ),
  t(
    'bin-x86_64-efi/snponly.efi',
    'efi',
    'x86_64',
    'UEFI x64 using only the firmware’s network driver (SNP): small, works wherever UEFI network boot works.',
    [],
    'efi-x64',
  ),
  t(
    'bin-x86_64-efi/ipxe.efidrv',
    'efi',
    'x86_64',
    'UEFI x64 driver (not an application): for a network card option ROM or a firmware driver slot. Pair with config "qemu".',
  ),
  t(
    'bin-arm64-efi/ipxe.efi',
    'efi',
    'arm64',
    'UEFI ARM64 (servers, Raspberry Pi 4 with UEFI firmware) with iPXE’s own drivers. Needs the ARM64 cross compiler.',
    ['cross-arm64'],
    'efi-arm64',
  ),
  t(
    'bin-arm64-efi/snponly.efi',
    'efi',
    'arm64',
    'UEFI ARM64 using only the firmware’s network driver. Needs the ARM64 cross compiler.',
    ['cross-arm64'],
    'efi-arm64',
  ),
  t(
    'bin-x86_64-linux/tap.linux',
    'linux',
    'x86_64',
    'iPXE as a Linux program on a tap device: for testing Bootlab without a virtual machine (not a boot image).',
  ),
];

export const TARGET_IDS = TARGETS.map((x) => x.id) as [string, ...string[]];

export function targetInfo(id: string): TargetInfo | undefined {
  return TARGETS.find((x) => x.id === id);
}

export type FeatureId = 'syslog' | 'https' | 'peerdist' | 'ipv6' | 'nfs' | 'ping' | 'nslookup';

export interface FeatureInfo {
  id: FeatureId;
  /** How the DHCP page's "lacks" column names it. */
  label: string;
  description: string;
  /** config/local/<name>/<header>.h gets `#define <define>`. */
  header: 'console' | 'general';
  define: string;
}

export const FEATURES: readonly FeatureInfo[] = [
  {
    id: 'syslog',
    label: 'syslog',
    description:
      'Sends iPXE’s messages to Bootlab’s syslog receiver: live boot statistics and errors per machine.',
    header: 'console',
    define: 'CONSOLE_SYSLOG',
  },
  {
    id: 'https',
    label: 'HTTPS',
    description: 'Downloads over https:// (off by default in BIOS builds).',
    header: 'general',
    define: 'DOWNLOAD_PROTO_HTTPS',
  },
  {
    id: 'peerdist',
    label: 'PeerDist',
    description: 'BranchCache (PeerDist): fetches blocks from a hosted cache or peers instead of the server.',
    header: 'general',
    define: 'HTTP_ENC_PEERDIST',
  },
  {
    id: 'ipv6',
    label: 'IPv6',
    description: 'IPv6 networking (off by default in BIOS builds).',
    header: 'general',
    define: 'NET_PROTO_IPV6',
  },
  {
    id: 'nfs',
    label: 'NFS',
    description: 'Downloads over nfs://.',
    header: 'general',
    define: 'DOWNLOAD_PROTO_NFS',
  },
  {
    id: 'ping',
    label: 'ping',
    description: 'The ping command, for checking the network from the iPXE prompt.',
    header: 'general',
    define: 'PING_CMD',
  },
  {
    id: 'nslookup',
    label: 'nslookup',
    description: 'The nslookup command, for checking DNS from the iPXE prompt.',
    header: 'general',
    define: 'NSLOOKUP_CMD',
  },
];

export const FEATURE_IDS = FEATURES.map((f) => f.id) as [FeatureId, ...FeatureId[]];

/** The features Bootlab itself relies on (shown as "lacks" on the DHCP page when missing). */
export const BOOTLAB_FEATURES: readonly FeatureId[] = ['syslog', 'https', 'peerdist'];

/** LOG_LEVEL values iPXE knows (include/ipxe/console.h / syslog.h). */
export const LOG_LEVELS = [
  'none',
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
  'all',
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Named configs bundled with iPXE that a request may select (config/<name>/). */
export const NAMED_CONFIGS = ['qemu'] as const;

/**
 * Which features a build has: the requested ones plus iPXE's defaults for its platform. Since 2.0
 * (05cb93046, 2026-01-16) non-BIOS builds have HTTPS, IPv6 and syslog by default (docs/ipxe-notes.md §4); 1.x
 * sources do not.
 */
export function featuresOf(
  platform: BuildPlatform,
  requested: readonly FeatureId[],
  sourceMajor = 2,
): FeatureId[] {
  const on = new Set<FeatureId>(requested);
  if (platform !== 'pcbios' && sourceMajor >= 2) {
    on.add('https');
    on.add('ipv6');
    on.add('syslog');
  }
  return FEATURES.map((f) => f.id).filter((id) => on.has(id));
}
