/**
 * Boot library routes of the control API (merged into ApiRoutes and routeSchemas by contract.ts): the ISO
 * folder, boot method overrides, the catalog, downloads, offline import and one-click rescue. Node-free
 * (the renderer imports it with `import type`).
 */
import { z } from 'zod';
import { bootMethodSchema } from '../library/config.js';
import type { DownloadView, LibraryIsoView, LibraryOverview } from '../library/views.js';
import type { RouteSchemaTable } from './route-schemas.js';

export type * from '../library/views.js';

export const libraryMethodSchema = z.object({
  /** The ISO file, relative to the library folder (as GET /api/library lists it). */
  file: z.string().min(1).max(500),
  /** null goes back to Bootlab's choice. */
  method: bootMethodSchema.nullable(),
  /** Extra kernel arguments for extracted boots (e.g. console=ttyS0,115200n8); empty removes them. */
  args: z.string().max(1000).optional(),
});

export const libraryDownloadSchema = z.object({ catalogId: z.string().min(1).max(40) });

export const libraryImportSchema = z.object({
  /** Absolute path of a local ISO, kernel or other boot file on the computer running Bootlab. */
  path: z.string().min(1).max(4000),
});

export const libraryAddSchema = z.object({ catalogId: z.string().min(1).max(40) });

export const rescueSchema = z.object({
  /** A menu entry id (library ISO entries included) to make the default and boot. */
  entryId: z.string().min(1).max(48),
});

export interface RescueResult {
  entryId: string;
  label: string;
  /** The DHCP mode Bootlab chose and why (from the probe), once DHCP runs. */
  dhcp: string;
  services: { service: string; state: string; summary?: string; error?: { message: string; hint: string } }[];
}

export interface LibraryRoutes {
  'GET /api/library': { body: undefined; response: LibraryOverview };
  'POST /api/library/rescan': { body: undefined; response: LibraryOverview };
  'PUT /api/library/method': {
    body: z.input<typeof libraryMethodSchema>;
    response: { iso: LibraryIsoView | null };
  };
  'POST /api/library/catalog/update': { body: undefined; response: { updated: boolean; version: string } };
  'POST /api/library/downloads': {
    body: z.input<typeof libraryDownloadSchema>;
    response: { download: DownloadView };
  };
  'POST /api/library/downloads/:id/pause': { body: undefined; response: { download: DownloadView } };
  'POST /api/library/downloads/:id/resume': { body: undefined; response: { download: DownloadView } };
  'DELETE /api/library/downloads/:id': { body: undefined; response: { removed: true } };
  'POST /api/library/import': { body: z.input<typeof libraryImportSchema>; response: { bootPath: string } };
  /** Adds a non-ISO catalog item (chain, downloaded binary, your own WinPE files) to the root menu. */
  'POST /api/library/add-to-menu': { body: z.input<typeof libraryAddSchema>; response: { entryId: string } };
  'POST /api/library/rescue': { body: z.input<typeof rescueSchema>; response: RescueResult };
}

export const libraryRouteSchemas = {
  'PUT /api/library/method': { body: libraryMethodSchema },
  'POST /api/library/downloads': { body: libraryDownloadSchema },
  'POST /api/library/import': { body: libraryImportSchema },
  'POST /api/library/add-to-menu': { body: libraryAddSchema },
  'POST /api/library/rescue': { body: rescueSchema },
} satisfies RouteSchemaTable<LibraryRoutes>;
