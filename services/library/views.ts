/**
 * What the boot library shows: ISOs found in the library folder, how each boots, catalog items and
 * downloads. Pure types (no Node imports): the renderer reads them through contract-library.ts.
 */
import type { LibraryDownloadEvent } from '../shared/events.js';

export type BootMethod = 'extracted' | 'wimboot' | 'sanboot' | 'memdisk';

/** The ISO families Bootlab knows by their layout (see docs/boot-library.md for the table). */
export type IsoFamily =
  | 'ubuntu-casper'
  | 'debian-live'
  | 'clonezilla'
  | 'gparted'
  | 'debian-installer'
  | 'debian-cd'
  | 'archiso'
  | 'systemrescue'
  | 'fedora-live'
  | 'fedora-installer'
  | 'opensuse'
  | 'windows'
  | 'isolinux'
  | 'grub'
  | 'unknown';

export interface BootPlan {
  method: BootMethod;
  /** Why this method fits (or what it cannot do), in a technician's words. */
  reason: string;
  /** Firmware it runs on. */
  firmware: 'both' | 'bios' | 'uefi';
  /** For extracted/wimboot: paths inside the ISO copied once into the cache (by ISO hash). */
  extract: string[];
  kernel?: string;
  initrds: string[];
  /**
   * Kernel arguments; `{iso}` is the ISO's URL and `{tree}` the URL of its extracted files folder (both
   * end without a slash), filled in when the menu is rendered.
   */
  cmdline: string;
}

export interface IsoInspection {
  family: IsoFamily;
  /** "Ubuntu live (casper)" */
  familyLabel: string;
  volumeId: string;
  /** El Torito boot images: which firmware can boot the ISO as a CD. */
  bootsBios: boolean;
  bootsUefi: boolean;
  /** Every workable way, the recommended one first. */
  plans: BootPlan[];
}

export type LibraryItemState = 'growing' | 'inspecting' | 'ready' | 'failed';

export interface LibraryIsoView {
  /** Stable id from the file name (menu ids derive from it). */
  id: string;
  /** Path relative to the library folder. */
  file: string;
  /** Path relative to the boot root (served over HTTP). */
  bootPath: string;
  size: number;
  state: LibraryItemState;
  /** When state is failed or growing: what happened and what to do. */
  message?: string;
  sha256?: string;
  /** Name shown in the menu (volume id, or the file name). */
  name: string;
  inspection?: IsoInspection;
  /** The method in use: the override when set, else the recommended one. */
  method?: BootMethod;
  overridden: boolean;
  /** Extra kernel arguments the technician added (extracted boots). */
  extraArgs?: string;
  /** Menu id of this ISO's submenu. */
  menuId?: string;
}

/** A download's progress and state: the same shape the `library.download` event carries (shared/events.ts). */
export type DownloadView = LibraryDownloadEvent;
export type DownloadState = DownloadView['state'];

export interface CatalogItemView {
  id: string;
  name: string;
  description: string;
  kind: 'iso' | 'binary' | 'kernel' | 'chain' | 'user-files';
  size?: number;
  homepage: string;
  /** How it is verified, in words ("SHA-256 from the publisher's SHA256SUMS, signed"). */
  verification: string;
  notes?: string;
  downloadable: boolean;
}

export interface LibraryOverview {
  folder: string;
  isos: LibraryIsoView[];
  downloads: DownloadView[];
  catalog: { version: string; source: string; items: CatalogItemView[]; updateError?: string };
}
