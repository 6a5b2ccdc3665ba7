import type { ZodType } from 'zod';
import { BootlabError } from '../../core/errors.js';
import type { Runtime } from '../../core/runtime.js';
import type { MenuManager } from '../../menu/menu-manager.js';
import { listBootRootDir } from '../../menu/boot-root-files.js';
import { normalizeMac } from '../../menu/model.js';
import {
  menuBodySchemas,
  menuPreviewRequestSchema,
  type MenuExport,
  type MenuRoutes,
  type MenuState,
} from '../contract-menu.js';
import type { RequestContext } from '../router.js';

export interface MenuRouteDeps {
  menu: MenuManager;
  runtime: Runtime;
  /** Absolute boot root (the same function the MenuManager was given). */
  bootRoot: () => string;
}

/** What registerMenuRoutes needs of the router: Router<ApiRoutes> fits once ApiRoutes includes MenuRoutes. */
export interface MenuRouter {
  add<K extends keyof MenuRoutes & string>(
    key: K,
    handler: (
      ctx: RequestContext<MenuRoutes[K]['body']>,
    ) => MenuRoutes[K]['response'] | Promise<MenuRoutes[K]['response']>,
    bodySchema?: ZodType,
  ): void;
}

/** The base URL used in previews: the live HTTP server's, or a stand-in while HTTP is stopped. */
function previewBase(runtime: Runtime): string {
  return runtime.httpBase() ?? `http://${runtime.serverAddress}`;
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
 */
export function registerMenuRoutes(router: MenuRouter, deps: MenuRouteDeps): void {
  const { menu, runtime } = deps;
  const state = async (): Promise<MenuState> => ({
    menu: menu.config,
    detected: [...menu.detected],
    validation: await menu.validate(),
  });

  router.add('GET /api/menu', state);

  router.add(
    'PUT /api/menu',
    async ({ body }) => {
      await menu.save(body);
      return state();
    },
    menuBodySchemas['PUT /api/menu'],
  );

  router.add('GET /api/menu/preview', async ({ query }) => {
    const parsed = menuPreviewRequestSchema.safeParse({
      mac: query.get('mac') ?? undefined,
      platform: query.get('platform') ?? undefined,
      buildarch: query.get('buildarch') ?? undefined,
    });
    if (!parsed.success) {
      throw new BootlabError(
        'BAD_REQUEST',
        'platform must be pcbios or efi.',
        'Use ?platform=pcbios or ?platform=efi.',
      );
    }
    const mac = parsed.data.mac ? normalizeMac(parsed.data.mac) : undefined;
    if (parsed.data.mac && !mac) {
      throw new BootlabError(
        'BAD_REQUEST',
        `"${parsed.data.mac}" is not a MAC address.`,
        'Use the form 52:54:00:12:34:56.',
      );
    }
    return menu.preview({ ...parsed.data, mac, httpBase: previewBase(runtime) });
  });

  router.add(
    'POST /api/menu/preview',
    async ({ body }) => {
      const req = menuPreviewRequestSchema.parse(body);
      return menu.preview({ ...req, mac: normalizeMac(req.mac), httpBase: previewBase(runtime) });
    },
    menuBodySchemas['POST /api/menu/preview'],
  );

  router.add('GET /api/menu/validation', () => menu.validate());

  router.add(
    'POST /api/menu/validate',
    ({ body }) => menu.validate(body),
    menuBodySchemas['POST /api/menu/validate'],
  );

  router.add('GET /api/boot-root/files', ({ query }) =>
    listBootRootDir(deps.bootRoot(), query.get('dir') ?? ''),
  );

  router.add(
    'POST /api/menu/import',
    async ({ body }) => {
      await menu.save(unwrapImport(body));
      return state();
    },
    menuBodySchemas['POST /api/menu/import'],
  );

  router.add('GET /api/menu/export', (): MenuExport => ({
    format: 'bootlab-menu',
    version: 1,
    menu: menu.config,
  }));
}
