import type { LabManager } from '../../lab/lab-manager.js';
import type { ApiRouter } from '../router.js';

/** Test boot: capabilities + VM list, start, console scrollback, keyboard input, reset, stop. */
export function registerLabRoutes(router: ApiRouter, lab: LabManager): void {
  router.add('GET /api/lab', () => ({ capabilities: lab.capabilities(), vms: lab.list() }));
  router.add('POST /api/lab/vms', async ({ body }) => ({ vm: await lab.start(body) }));
  router.add('GET /api/lab/vms/:id/console', ({ params }) => ({ data: lab.consoleBuffer(params.id ?? '') }));
  router.add('POST /api/lab/vms/:id/input', ({ params, body }) => {
    lab.write(params.id ?? '', body.data);
    return { ok: true as const };
  });
  router.add('POST /api/lab/vms/:id/reset', async ({ params }) => ({ vm: await lab.reset(params.id ?? '') }));
  router.add('POST /api/lab/vms/:id/stop', async ({ params }) => ({ vm: await lab.stop(params.id ?? '') }));
}
