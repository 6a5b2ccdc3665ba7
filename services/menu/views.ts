/**
 * What the UI may see of the menu area (Node-free: types only from pure modules, so the renderer and
 * services/api/contract-menu.ts can import it). The API routes return these; the menu manager builds them.
 */
import type { MenuConfig, MenuEntry } from './model.js';
import type { MenuIssue, MenuValidation } from './validate.js';
import type { MenuPreview } from './text-preview.js';

export type {
  MenuConfig,
  MenuConfigInput,
  MenuEntry,
  MenuEntryInput,
  Menu,
  HostAssignment,
  EntryKind,
} from './model.js';
export type { MenuIssue, MenuValidation } from './validate.js';
export type { MenuPreview, PreviewRow } from './text-preview.js';

/** The menu as stored, plus what the editor needs around it. */
export interface MenuState {
  menu: MenuConfig;
  /** Rescue tools found on this system (added to the root menu when menu.autoRescue is on). */
  detected: MenuEntry[];
  validation: MenuValidation;
}

export interface MenuPreviewResponse {
  /** The iPXE script this client would get from /boot.ipxe. */
  script: string;
  /** What iPXE draws: title and rows, and 80-column text lines. */
  menu: MenuPreview;
  /** The pxelinux.cfg/default for the same menu. */
  pxelinux: string;
  start: { type: 'menu'; menu: string } | { type: 'entry'; entry: string };
  /** What the host assignment does for this MAC, if any. */
  note?: string;
  /** Issues of the previewed configuration (an unsaved one may not even parse). */
  issues: MenuIssue[];
  /** The previewed configuration with defaults filled in; absent when it does not parse. */
  config?: MenuConfig;
}

export interface BootRootListing {
  /** The folder listed, relative to the boot root ("" for the root itself). */
  dir: string;
  entries: { name: string; path: string; type: 'file' | 'dir'; size: number }[];
}

/** What GET /api/menu/export gives and POST /api/menu/import takes (a bare menu is accepted too). */
export interface MenuExport {
  format: 'bootlab-menu';
  version: 1;
  menu: MenuConfig;
}
