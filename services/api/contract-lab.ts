/**
 * Test-boot lab routes of the control API (merged into ApiRoutes and routeSchemas by contract.ts): routes,
 * bodies and queries declared once. Node-free (the renderer imports it with `import type`).
 */
import { z } from 'zod';
import {
  testBootRequestSchema,
  type LabCapabilities,
  type TestBootRequestInput,
  type TestBootVm,
} from '../lab/views.js';
import type { RouteSchemaTable } from './route-schemas.js';

export type { LabCapabilities, TestBootRequest, TestBootRequestInput, TestBootVm } from '../lab/views.js';

/** Keystrokes for a VM's serial console. */
export const testBootInputSchema = z.object({ data: z.string().max(4096) });

export interface LabRoutes {
  'GET /api/lab': { body: undefined; response: { capabilities: LabCapabilities; vms: TestBootVm[] } };
  'POST /api/lab/vms': { body: TestBootRequestInput; response: { vm: TestBootVm } };
  'GET /api/lab/vms/:id/console': { body: undefined; response: { data: string } };
  'POST /api/lab/vms/:id/input': { body: z.input<typeof testBootInputSchema>; response: { ok: true } };
  'POST /api/lab/vms/:id/reset': { body: undefined; response: { vm: TestBootVm } };
  'POST /api/lab/vms/:id/stop': { body: undefined; response: { vm: TestBootVm } };
}

export const labRouteSchemas = {
  'POST /api/lab/vms': { body: testBootRequestSchema },
  'POST /api/lab/vms/:id/input': { body: testBootInputSchema },
} satisfies RouteSchemaTable<LabRoutes>;
