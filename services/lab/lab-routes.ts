import type { z } from 'zod';
import type { RequestContext } from '../api/router.js';
import { labBodySchemas, type LabRoutes } from './contract.js';
import type { LabManager } from './lab-manager.js';

/** What registerLabRoutes needs of the router: Router<ApiRoutes> fits once ApiRoutes includes LabRoutes. */
export interface LabRouter {
  add<K extends keyof LabRoutes & string>(
    key: K,
    handler: (
      ctx: RequestContext<LabRoutes[K]['body']>,
    ) => LabRoutes[K]['response'] | Promise<LabRoutes[K]['response']>,
    bodySchema?: z.ZodType,
  ): void;
}

/** Test boot: capabilities + VM list, start, console scrollback, keyboard input, reset, stop. */
export function registerLabRoutes(router: LabRouter, lab: LabManager): void {
  router.add('GET /api/lab', () => ({ capabilities: lab.capabilities(), vms: lab.list() }));
  router.add(
    'POST /api/lab/vms',
    async ({ body }) => ({ vm: await lab.start(labBodySchemas['POST /api/lab/vms'].parse(body)) }),
    labBodySchemas['POST /api/lab/vms'],
  );
  router.add('GET /api/lab/vms/:id/console', ({ params }) => ({ data: lab.consoleBuffer(params.id ?? '') }));
  router.add(
    'POST /api/lab/vms/:id/input',
    ({ params, body }) => {
      lab.write(params.id ?? '', body.data);
      return { ok: true as const };
    },
    labBodySchemas['POST /api/lab/vms/:id/input'],
  );
  router.add('POST /api/lab/vms/:id/reset', async ({ params }) => ({ vm: await lab.reset(params.id ?? '') }));
  router.add('POST /api/lab/vms/:id/stop', async ({ params }) => ({ vm: await lab.stop(params.id ?? '') }));
}
