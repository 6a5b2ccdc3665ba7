import { z } from 'zod';
import { macSchema } from '../shared/address.js';

/**
 * The boot menu model, stored in the profile as `profile.menu`. Pure schema (no Node imports) so the
 * renderer can use the types. Paths are relative to the boot root (served over HTTP as `${base}/<path>`)
 * or full URLs (http://, https://, tftp://). Entry ids double as iPXE labels, so they are kept to
 * [a-z0-9_-] (iPXE setting names use "." and "/" as scope separators, core/settings.c).
 */

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;
const id = z.string().regex(ID_PATTERN, 'an id of lowercase letters, digits, "-" or "_" (at most 48)');
/** Text shown on screen: one line, no control characters (iPXE prints it raw). */
const text = z
  .string()
  .max(200)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\x00-\x1f\x7f]*$/, 'one line of text without control characters');
const path = z.string().trim().min(1, 'a file path or URL').max(1000);
const mac = macSchema;

export const firmwareSchema = z.enum(['both', 'bios', 'uefi']);
export type Firmware = z.infer<typeof firmwareSchema>;
/** `${buildarch}` values an entry can be limited to (applies on UEFI; BIOS iPXE reports i386 even on 64-bit CPUs). */
export const archSchema = z.enum(['x86_64', 'i386', 'arm64']);
export type Arch = z.infer<typeof archSchema>;

/** A word iPXE can compare or pass on as is: no whitespace, no `$` (setting expansion), no leading `#` (comment). */
const word = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\s$#][^\s$]*$/, 'one word without spaces or "$" (not starting with "#")');
const credentials = z.object({ username: word, password: word });

const bootable = {
  id,
  label: text.min(1, 'a label shown in the menu'),
  /** One-key shortcut (iPXE `item --key`). */
  key: z
    .string()
    .regex(/^[a-z0-9]$/i, 'a single letter or digit')
    .optional(),
  firmware: firmwareSchema.default('both'),
  arch: z.array(archSchema).optional(),
  /** Asked before booting. Not a secret: the script is readable by anyone on the bench network. */
  password: word.optional(),
  /** HTTP basic credentials for this entry's downloads (iPXE `username`/`password` settings). */
  credentials: credentials.optional(),
};

export const linuxEntrySchema = z.object({
  ...bootable,
  kind: z.literal('linux'),
  kernel: path,
  initrds: z.array(path).default([]),
  cmdline: z.string().max(4000).default(''),
});

export const isoEntrySchema = z.object({
  ...bootable,
  kind: z.literal('iso'),
  iso: path,
  /** sanboot: iPXE maps the ISO over HTTP (BIOS+UEFI, needs Range); memdisk: loads it into RAM (BIOS only). */
  method: z.enum(['sanboot', 'memdisk', 'extracted']).default('sanboot'),
  memdisk: path.default('memdisk'),
  /** For method "extracted": kernel and initrds taken out of the ISO. */
  kernel: path.optional(),
  initrds: z.array(path).default([]),
  cmdline: z.string().max(4000).default(''),
});

export const winpeEntrySchema = z.object({
  ...bootable,
  kind: z.literal('winpe'),
  wimboot: path.default('wimboot'),
  bcd: path,
  bootSdi: path,
  bootWim: path,
  /** Extra files injected by wimboot (e.g. winpeshl.ini, startnet.cmd); `name` defaults to the base name. */
  extraFiles: z
    .array(
      z.object({
        path,
        name: z
          .string()
          .regex(/^[^\s/\\]+$/)
          .optional(),
      }),
    )
    .default([]),
  /** wimboot options, e.g. "gui" or "pause". */
  args: z.string().max(200).default(''),
});

export const binaryEntrySchema = z.object({
  ...bootable,
  kind: z.literal('binary'),
  /** EFI executable (e.g. memtest64.efi) used on UEFI. */
  efi: path.optional(),
  /** BIOS image in Linux boot format (e.g. memtest64.bin) used on BIOS. */
  bios: path.optional(),
  args: z.string().max(1000).default(''),
});

export const chainEntrySchema = z.object({ ...bootable, kind: z.literal('chain'), url: path });
/** Chains pxelinux from iPXE (BIOS only), giving it options 209/210 (pxelinux config file and path prefix). */
export const pxelinuxEntrySchema = z.object({
  ...bootable,
  kind: z.literal('pxelinux'),
  pxelinux: path.default('pxelinux.0'),
  config: path.default('pxelinux.cfg/default'),
});
export const shellEntrySchema = z.object({ ...bootable, kind: z.literal('shell') });
export const localEntrySchema = z.object({ ...bootable, kind: z.literal('local') });
export const rebootEntrySchema = z.object({ ...bootable, kind: z.literal('reboot') });
export const poweroffEntrySchema = z.object({ ...bootable, kind: z.literal('poweroff') });
export const submenuEntrySchema = z.object({ ...bootable, kind: z.literal('submenu'), menu: id });
export const separatorEntrySchema = z.object({ id, kind: z.literal('separator') });
export const headerEntrySchema = z.object({ id, kind: z.literal('header'), label: text });

export const menuEntrySchema = z.discriminatedUnion('kind', [
  linuxEntrySchema,
  isoEntrySchema,
  winpeEntrySchema,
  binaryEntrySchema,
  chainEntrySchema,
  pxelinuxEntrySchema,
  shellEntrySchema,
  localEntrySchema,
  rebootEntrySchema,
  poweroffEntrySchema,
  submenuEntrySchema,
  separatorEntrySchema,
  headerEntrySchema,
]);

export type MenuEntry = z.infer<typeof menuEntrySchema>;
export type MenuEntryInput = z.input<typeof menuEntrySchema>;
export type EntryKind = MenuEntry['kind'];
export type BootableEntry = Exclude<MenuEntry, { kind: 'separator' } | { kind: 'header' }>;
export type EntryOf<K extends EntryKind> = Extract<MenuEntry, { kind: K }>;

export const ENTRY_KINDS: readonly EntryKind[] = [
  'linux',
  'iso',
  'winpe',
  'binary',
  'chain',
  'pxelinux',
  'shell',
  'local',
  'reboot',
  'poweroff',
  'submenu',
  'separator',
  'header',
];

export function isBootable(entry: MenuEntry): entry is BootableEntry {
  return entry.kind !== 'separator' && entry.kind !== 'header';
}

export const menuSchema = z.object({
  id,
  title: text.min(1),
  /** Seconds before the default entry boots; 0 waits for a key. Only the first time a menu is shown. */
  timeout: z.number().int().min(0).max(3600).default(10),
  /** Entry id highlighted and booted on timeout; the first selectable entry when unset. */
  default: id.optional(),
  entries: z.array(menuEntrySchema).default([]),
});
export type Menu = z.infer<typeof menuSchema>;

/** What a host (by MAC) gets instead of the root menu. */
export const hostActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('menu'), menu: id }),
  z.object({ type: z.literal('entry'), entry: id }),
  /** Boots the entry once; then the host gets the menu again, or is sent to its local disk. */
  z.object({ type: z.literal('next-boot'), entry: id, then: z.enum(['menu', 'local']).default('menu') }),
]);
export type HostAction = z.infer<typeof hostActionSchema>;

export const hostAssignmentSchema = z.object({
  mac,
  /** A name for people ("bench 3"). */
  note: z.string().max(200).optional(),
  action: hostActionSchema,
});
export type HostAssignment = z.infer<typeof hostAssignmentSchema>;

export const menuConfigSchema = z.object({
  version: z.literal(1).default(1),
  /** The menu every client sees unless a host assignment says otherwise. */
  root: id.default('main'),
  menus: z.array(menuSchema).min(1, 'at least one menu'),
  hosts: z.array(hostAssignmentSchema).default([]),
  /** Entries that cannot run on the client's firmware: hidden, or shown greyed out with the reason. */
  unavailable: z.enum(['hide', 'explain']).default('explain'),
  /** Add entries for rescue tools found in the boot root or the system (memtest86+) to the root menu. */
  autoRescue: z.boolean().default(true),
});
export type MenuConfig = z.infer<typeof menuConfigSchema>;
export type MenuConfigInput = z.input<typeof menuConfigSchema>;

/** The menu a fresh profile gets: boot from disk, iPXE shell, reboot (rescue tools are added when found). */
export function defaultMenuConfig(): MenuConfig {
  return menuConfigSchema.parse({
    root: 'main',
    menus: [
      {
        id: 'main',
        title: 'Bootlab',
        timeout: 10,
        default: 'local',
        entries: [
          { id: 'local', kind: 'local', label: 'Boot from local disk', key: 'l' },
          { id: 'sep-tools', kind: 'header', label: 'Tools' },
          { id: 'shell', kind: 'shell', label: 'iPXE shell', key: 's' },
          { id: 'reboot', kind: 'reboot', label: 'Reboot', key: 'r' },
        ],
      },
    ],
  });
}
