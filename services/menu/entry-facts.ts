import type { Arch, BootableEntry, MenuConfig, Menu, MenuEntry } from './model.js';
import { isBootable } from './model.js';

/**
 * Facts about entries shared by the renderers, the validator and the text-mode preview: which firmware an
 * entry can run on, which files it downloads, and the menus as a client sees them (with detected rescue
 * tools added). Pure functions, no Node imports (the renderer shows the same facts).
 */

export interface FirmwareNeeds {
  bios: boolean;
  uefi: boolean;
  /** `${buildarch}` values allowed on UEFI; undefined = any. */
  uefiArch?: Arch[];
}

/** Where the entry can run: the declared firmware narrowed by what its kind needs. */
export function firmwareNeeds(entry: BootableEntry): FirmwareNeeds {
  let bios = entry.firmware !== 'uefi';
  let uefi = entry.firmware !== 'bios';
  // memdisk is a BIOS real-mode program (syslinux doc/memdisk.txt); pxelinux is a PXE (BIOS) NBP.
  if ((entry.kind === 'iso' && entry.method === 'memdisk') || entry.kind === 'pxelinux') uefi = false;
  if (entry.kind === 'binary') {
    if (!entry.efi) uefi = false;
    if (!entry.bios) bios = false;
  }
  const arch = entry.arch && entry.arch.length > 0 ? [...entry.arch] : undefined;
  return arch ? { bios, uefi, uefiArch: arch } : { bios, uefi };
}

/** True when the entry runs on both firmware kinds with any architecture (no branch needed). */
export function runsEverywhere(n: FirmwareNeeds): boolean {
  return n.bios && n.uefi && !n.uefiArch;
}

/** Short reason shown next to an entry that cannot run here, e.g. "UEFI only", "BIOS only". */
export function needsText(n: FirmwareNeeds): string {
  const arch = n.uefiArch ? ` ${n.uefiArch.join('/')}` : '';
  if (n.bios && n.uefi) return `BIOS or${arch} UEFI`;
  if (n.bios) return 'BIOS only';
  if (n.uefi) return `${arch.trim() ? arch.trim() + ' ' : ''}UEFI only`;
  return 'no firmware';
}

export type ClientFirmware = { platform: 'pcbios' | 'efi'; buildarch?: string };

/** Whether the entry can run on a given client (used by the preview and quick checks). */
export function runsOn(n: FirmwareNeeds, fw: ClientFirmware): boolean {
  if (fw.platform === 'pcbios') return n.bios;
  if (!n.uefi) return false;
  if (!n.uefiArch || !fw.buildarch) return true;
  return n.uefiArch.includes(fw.buildarch as Arch);
}

export interface FileRef {
  /** Which field, for error messages ("kernel", "initrds[1]"). */
  field: string;
  path: string;
}

/** Every file or URL an entry downloads (memdisk included), for validation and file checks. */
export function entryFiles(entry: MenuEntry): FileRef[] {
  switch (entry.kind) {
    case 'linux':
      return [
        { field: 'kernel', path: entry.kernel },
        ...entry.initrds.map((p, i) => ({ field: `initrds[${i}]`, path: p })),
      ];
    case 'iso': {
      const iso = { field: 'iso', path: entry.iso };
      if (entry.method === 'sanboot') return [iso];
      if (entry.method === 'memdisk') return [{ field: 'memdisk', path: entry.memdisk }, iso];
      const initrds = entry.initrds.map((p, i) => ({ field: `initrds[${i}]`, path: p }));
      return entry.kernel ? [{ field: 'kernel', path: entry.kernel }, ...initrds] : initrds;
    }
    case 'winpe':
      return [
        { field: 'wimboot', path: entry.wimboot },
        { field: 'bcd', path: entry.bcd },
        { field: 'bootSdi', path: entry.bootSdi },
        { field: 'bootWim', path: entry.bootWim },
        ...entry.extraFiles.map((f, i) => ({ field: `extraFiles[${i}]`, path: f.path })),
      ];
    case 'binary':
      return [
        ...(entry.efi ? [{ field: 'efi', path: entry.efi }] : []),
        ...(entry.bios ? [{ field: 'bios', path: entry.bios }] : []),
      ];
    case 'chain':
      return [{ field: 'url', path: entry.url }];
    case 'pxelinux':
      return [
        { field: 'pxelinux', path: entry.pxelinux },
        { field: 'config', path: entry.config },
      ];
    default:
      return [];
  }
}

export function isUrl(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

/**
 * The menus a client sees: the configured ones, with detected rescue tools (when autoRescue is on) added to
 * the root menu under a "Rescue tools" header. An entry whose id is already used is left out, so a user
 * who adds their own entry with the same id replaces the detected one.
 */
export function effectiveMenus(config: MenuConfig, detected: readonly MenuEntry[] = []): Menu[] {
  if (!config.autoRescue || detected.length === 0) return config.menus;
  const used = new Set(config.menus.flatMap((m) => m.entries.map((e) => e.id)));
  const extra = detected.filter((e) => !used.has(e.id));
  if (extra.length === 0) return config.menus;
  const header: MenuEntry = { id: 'rescue-tools', kind: 'header', label: 'Rescue tools' };
  const add = used.has(header.id) ? extra : [header, ...extra];
  return config.menus.map((m) => (m.id === config.root ? { ...m, entries: [...m.entries, ...add] } : m));
}

export function findEntry(menus: readonly Menu[], id: string): { menu: Menu; entry: MenuEntry } | undefined {
  for (const menu of menus) {
    const entry = menu.entries.find((e) => e.id === id);
    if (entry) return { menu, entry };
  }
  return undefined;
}

/** The entry highlighted (and booted on timeout): the configured default, else the first selectable one. */
export function defaultEntryId(menu: Menu): string | undefined {
  if (menu.default && menu.entries.some((e) => e.id === menu.default && isBootable(e))) return menu.default;
  const bootable = menu.entries.filter(isBootable);
  return (bootable.find((e) => runsEverywhere(firmwareNeeds(e))) ?? bootable[0])?.id;
}
