/**
 * Menu routes of the control API (merged into ApiRoutes and routeSchemas by contract.ts): routes, bodies
 * and queries declared once. Node-free (the renderer imports it with `import type`).
 */
import { z } from 'zod';
import { macSchema } from '../shared/address.js';
import type { MenuExport, MenuPreviewResponse, MenuState, BootRootListing } from '../menu/views.js';
import type { MenuValidation } from '../menu/views.js';
import type { RouteSchemaTable } from './route-schemas.js';

export type * from '../menu/views.js';

/** iPXE's ${platform} (a refinement rather than an enum so the message names both values in words). */
const platformSchema = z
  .string()
  .refine((v): v is 'pcbios' | 'efi' => v === 'pcbios' || v === 'efi', 'one of pcbios or efi');

/** Which client a preview is for: its MAC (host assignments), firmware platform and CPU architecture. */
const previewClient = {
  mac: macSchema.optional(),
  platform: platformSchema.default('pcbios'),
  buildarch: z.string().max(20).optional(),
};

export const menuPreviewQuerySchema = z.object(previewClient);
export type MenuPreviewQuery = z.input<typeof menuPreviewQuerySchema>;

export const menuPreviewRequestSchema = z.object({
  /** The editor's unsaved configuration; the stored one when left out. */
  menu: z.unknown().optional(),
  ...previewClient,
});
export type MenuPreviewRequest = z.input<typeof menuPreviewRequestSchema>;

/** PUT /api/menu, POST /api/menu/validate, POST /api/menu/import: any JSON, checked by the menu validator. */
export const menuBodySchema = z.unknown().refine((v) => v !== undefined, 'a menu');

export const bootRootFilesQuerySchema = z.object({ dir: z.string().max(1000).default('') });

export interface MenuRoutes {
  'GET /api/menu': { body: undefined; response: MenuState };
  'PUT /api/menu': { body: unknown; response: MenuState };
  'GET /api/menu/preview': { body: undefined; query: MenuPreviewQuery; response: MenuPreviewResponse };
  /** Preview of an unsaved configuration (the editor's live preview). */
  'POST /api/menu/preview': { body: MenuPreviewRequest; response: MenuPreviewResponse };
  'GET /api/menu/validation': { body: undefined; response: MenuValidation };
  /** Validates an unsaved configuration. */
  'POST /api/menu/validate': { body: unknown; response: MenuValidation };
  /** dir: relative to the boot root. */
  'GET /api/boot-root/files': {
    body: undefined;
    query: z.input<typeof bootRootFilesQuerySchema>;
    response: BootRootListing;
  };
  /** An exported file ({format: 'bootlab-menu', menu}) or a bare menu configuration. */
  'POST /api/menu/import': { body: unknown; response: MenuState };
  'GET /api/menu/export': { body: undefined; response: MenuExport };
}

export const menuRouteSchemas = {
  'PUT /api/menu': { body: menuBodySchema },
  'GET /api/menu/preview': { query: menuPreviewQuerySchema },
  'POST /api/menu/preview': { body: menuPreviewRequestSchema },
  'POST /api/menu/validate': { body: menuBodySchema },
  'GET /api/boot-root/files': { query: bootRootFilesQuerySchema },
  'POST /api/menu/import': { body: menuBodySchema },
} satisfies RouteSchemaTable<MenuRoutes>;
