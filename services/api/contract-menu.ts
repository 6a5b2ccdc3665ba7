/**
 * Menu routes of the control API (merged into ApiRoutes by services/api/contract.ts). Types only from
 * pure modules (no Node), so the renderer can import this file with `import type`.
 */
import { z } from 'zod';
import type { MenuConfig, MenuEntry } from '../menu/model.js';
import type { MenuIssue, MenuValidation } from '../menu/validate.js';
import type { MenuPreview } from '../menu/text-preview.js';

export type {
  MenuConfig,
  MenuConfigInput,
  MenuEntry,
  MenuEntryInput,
  Menu,
  HostAssignment,
  EntryKind,
} from '../menu/model.js';
export type { MenuIssue, MenuValidation } from '../menu/validate.js';
export type { MenuPreview, PreviewRow } from '../menu/text-preview.js';

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

export const menuPreviewRequestSchema = z.object({
  /** The editor's unsaved configuration; the stored one when left out. */
  menu: z.unknown().optional(),
  mac: z.string().max(40).optional(),
  platform: z.enum(['pcbios', 'efi']).default('pcbios'),
  buildarch: z.string().max(20).optional(),
});
export type MenuPreviewRequest = z.input<typeof menuPreviewRequestSchema>;

/** PUT /api/menu, POST /api/menu/validate: any JSON; checked by the menu validator (issues keyed by entry). */
export const menuBodySchema = z.unknown().refine((v) => v !== undefined, 'a menu');

export interface MenuRoutes {
  'GET /api/menu': { body: undefined; response: MenuState };
  'PUT /api/menu': { body: unknown; response: MenuState };
  /** Query: mac, platform=pcbios|efi, buildarch. */
  'GET /api/menu/preview': { body: undefined; response: MenuPreviewResponse };
  /** Preview of an unsaved configuration (the editor's live preview). */
  'POST /api/menu/preview': { body: MenuPreviewRequest; response: MenuPreviewResponse };
  'GET /api/menu/validation': { body: undefined; response: MenuValidation };
  /** Validates an unsaved configuration. */
  'POST /api/menu/validate': { body: unknown; response: MenuValidation };
  /** Query: dir (relative to the boot root). */
  'GET /api/boot-root/files': { body: undefined; response: BootRootListing };
  'POST /api/menu/import': { body: unknown; response: MenuState };
  'GET /api/menu/export': { body: undefined; response: MenuExport };
}

export const menuBodySchemas: Partial<Record<keyof MenuRoutes, z.ZodType>> = {
  'PUT /api/menu': menuBodySchema,
  'POST /api/menu/preview': menuPreviewRequestSchema,
  'POST /api/menu/validate': menuBodySchema,
  'POST /api/menu/import': menuBodySchema,
};
