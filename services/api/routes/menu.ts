import type { Runtime } from '../../core/runtime.js';
import type { MenuManager } from '../../menu/menu-manager.js';
import { listBootRootDir } from '../../menu/boot-root-files.js';
import { httpBaseUrl } from '../../shared/address.js';
import type { MenuExport, MenuState } from '../contract-menu.js';
import type { ApiRouter } from '../router.js';

export interface MenuRouteDeps {
  menu: MenuManager;
  runtime: Runtime;
  /** Absolute boot root (the same function the MenuManager was given). */
  bootRoot: () => string;
}

/** The base URL used in previews: the live HTTP server's, or a stand-in while HTTP is stopped. */
function previewBase(runtime: Runtime): string {
  return runtime.httpBase() ?? httpBaseUrl(runtime.serverAddress, 80);
}

/** An exported file ({format: 'bootlab-menu', menu}) or a bare menu configuration. */
function unwrapImport(body: unknown): unknown {
  if (body && typeof body === 'object' && (body as { format?: unknown }).format === 'bootlab-menu') {
    return (body as { menu?: unknown }).menu;
  }
  return body;
}

/**
 * Menu editor routes: read and save the menu (validated; issues keyed by entry), preview the script and
 * the text-mode menu for a MAC and firmware, list boot-root folders for file pickers, import and export.
 * Bodies and queries arrive parsed (services/api/contract-menu.ts menuRouteSchemas).
 */
export function registerMenuRoutes(router: ApiRouter, deps: MenuRouteDeps): void {
  const { menu, runtime } = deps;
  const state = async (): Promise<MenuState> => ({
    menu: menu.config,
    detected: [...menu.detected],
    validation: await menu.validate(),
  });

  router.add('GET /api/menu', state);
  router.add('PUT /api/menu', async ({ body }) => {
    await menu.save(body);
    return state();
  });
  router.add('GET /api/menu/preview', ({ query }) =>
    menu.preview({ ...query, httpBase: previewBase(runtime) }),
  );
  router.add('POST /api/menu/preview', ({ body }) =>
    menu.preview({ ...body, httpBase: previewBase(runtime) }),
  );
  router.add('GET /api/menu/validation', () => menu.validate());
  router.add('POST /api/menu/validate', ({ body }) => menu.validate(body));
  router.add('GET /api/boot-root/files', ({ query }) => listBootRootDir(deps.bootRoot(), query.dir));
  router.add('POST /api/menu/import', async ({ body }) => {
    await menu.save(unwrapImport(body));
    return state();
  });
  router.add('GET /api/menu/export', (): MenuExport => ({
    format: 'bootlab-menu',
    version: 1,
    menu: menu.config,
  }));
}
