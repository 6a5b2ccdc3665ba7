/**
 * Builder routes of the control API (merged into ApiRoutes and routeSchemas by contract.ts): iPXE sources,
 * builds, stored images, serving one as DHCP's first stage. Node-free (the renderer imports it with
 * `import type`).
 */
import { z } from 'zod';
import { buildRequestSchema, type BuildRequestInput } from '../builder/request.js';
import type { ArtifactView, BuilderOverview, BuildJobView, SourceView } from '../builder/views.js';
import type { RouteSchemaTable } from './route-schemas.js';

export type * from '../builder/views.js';
export type { BuildRequest, BuildRequestInput, ScriptChoice } from '../builder/request.js';
export type { FeatureId, FeatureInfo, ServeSlot, TargetInfo } from '../builder/catalogue.js';

export const addSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('git'),
    url: z.string().min(1).max(500),
    ref: z.string().min(1).max(120).optional(),
  }),
  z.object({ kind: z.literal('local'), path: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('tarball'), path: z.string().min(1).max(1000) }),
]);

export const serveSchema = z.object({
  slot: z.enum(['bios', 'efi-x64', 'efi-arm64'], {
    errorMap: () => ({ message: 'must be bios, efi-x64 or efi-arm64' }),
  }),
});

export const recommendedSchema = z.object({ sourceId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

export const scriptCheckSchema = z.object({ text: z.string().max(70_000) });

export interface BuilderRoutes {
  'GET /api/builder': { body: undefined; response: BuilderOverview };
  'POST /api/builder/sources': { body: z.input<typeof addSourceSchema>; response: { source: SourceView } };
  'DELETE /api/builder/sources/:id': { body: undefined; response: { removed: true } };
  'POST /api/builder/sources/:id/cancel': { body: undefined; response: { cancelled: boolean } };
  'POST /api/builder/builds': { body: BuildRequestInput; response: { job: BuildJobView } };
  /** "Build Bootlab's iPXE": the recommended set, served as DHCP's first stages when it succeeds. */
  'POST /api/builder/recommended': {
    body: z.input<typeof recommendedSchema>;
    response: { job: BuildJobView };
  };
  'GET /api/builder/builds/:id/log': { body: undefined; response: { data: string } };
  'POST /api/builder/builds/:id/cancel': { body: undefined; response: { job: BuildJobView } };
  /** Checks an embedded script before a build: every problem in words (empty = fine). */
  'POST /api/builder/script-check': {
    body: z.input<typeof scriptCheckSchema>;
    response: { problems: string[] };
  };
  'POST /api/builder/artifacts/:id/serve': {
    body: z.input<typeof serveSchema>;
    response: { artifact: ArtifactView; file: string };
  };
  /** The image itself, base64 (the token travels in a header, so the page saves it from a fetch). */
  'GET /api/builder/artifacts/:id/download': {
    body: undefined;
    response: { file: string; sha256: string; size: number; base64: string };
  };
  'DELETE /api/builder/artifacts/:id': { body: undefined; response: { removed: true } };
  /** Deletes the work trees (they come back on the next build; stored images stay). */
  'POST /api/builder/work-trees/delete': { body: undefined; response: { deleted: number } };
}

export const builderRouteSchemas = {
  'POST /api/builder/sources': { body: addSourceSchema },
  'POST /api/builder/builds': { body: buildRequestSchema },
  'POST /api/builder/recommended': { body: recommendedSchema },
  'POST /api/builder/script-check': { body: scriptCheckSchema },
  'POST /api/builder/artifacts/:id/serve': { body: serveSchema },
} satisfies RouteSchemaTable<BuilderRoutes>;
