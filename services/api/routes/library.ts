import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { ConfigStore } from '../../core/config-store.js';
import { BootlabError } from '../../shared/errors.js';
import type { Supervisor } from '../../core/supervisor.js';
import type { MenuManager } from '../../menu/menu-manager.js';
import type { BootLibrary } from '../../library/library-service.js';
import { catalogMenuEntry } from '../../library/library-menu.js';
import { oneClickRescue } from '../../library/rescue.js';
import type { ApiRouter } from '../router.js';

export interface LibraryRouteDeps {
  library: BootLibrary;
  menu: MenuManager;
  store: ConfigStore;
  supervisor: Supervisor;
  bootRoot: () => string;
}

const notFound = (what: string): BootlabError =>
  new BootlabError('NOT_FOUND', `${what} was not found.`, 'Reload the Library page and try again.');

/** The Library page and the Dashboard's one-click rescue. */
export function registerLibraryRoutes(router: ApiRouter, deps: LibraryRouteDeps): void {
  const { library } = deps;
  router.add('GET /api/library', () => library.overview());
  router.add('POST /api/library/rescan', async () => {
    await library.isos.scan();
    return library.overview();
  });
  router.add('PUT /api/library/method', async ({ body }) => {
    const iso = library.isos.views().find((i) => i.file === body.file);
    if (!iso) throw notFound(`The ISO ${body.file}`);
    if (body.method && !iso.inspection?.plans.some((p) => p.method === body.method)) {
      throw new BootlabError(
        'BAD_REQUEST',
        `${body.method} cannot boot ${iso.file}.`,
        `Pick one of: ${(iso.inspection?.plans ?? []).map((p) => p.method).join(', ')}.`,
      );
    }
    await library.setMethod(body.file, body.method, body.args);
    return { iso: library.isos.views().find((i) => i.file === body.file) ?? null };
  });
  router.add('POST /api/library/catalog/update', async () => {
    try {
      return await library.catalog.update(deps.store.profile.library.catalogUrl);
    } catch (err) {
      throw new BootlabError('BAD_REQUEST', (err as Error).message, 'Check the catalog address in Settings.');
    }
  });
  router.add('POST /api/library/downloads', ({ body }) => {
    const item = library.catalog.item(body.catalogId);
    if (!item) throw notFound(`The catalog item ${body.catalogId}`);
    try {
      return { download: library.downloads.add(item) };
    } catch (err) {
      throw new BootlabError(
        'BAD_REQUEST',
        (err as Error).message,
        'Pick another item, or update the catalog.',
      );
    }
  });
  const byId = async <T>(f: () => T | Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      throw new BootlabError('NOT_FOUND', (err as Error).message, 'Reload the Library page.');
    }
  };
  router.add('POST /api/library/downloads/:id/pause', ({ params }) =>
    byId(async () => ({ download: await library.downloads.pause(params.id ?? '') })),
  );
  router.add('POST /api/library/downloads/:id/resume', ({ params }) =>
    byId(() => ({ download: library.downloads.resume(params.id ?? '') })),
  );
  router.add('DELETE /api/library/downloads/:id', ({ params }) =>
    byId(async () => {
      await library.downloads.remove(params.id ?? '');
      return { removed: true as const };
    }),
  );
  router.add('POST /api/library/import', async ({ body }) => {
    if (!isAbsolute(body.path)) {
      throw new BootlabError(
        'BAD_REQUEST',
        'The file must be given with its full path.',
        'Pick the file with Browse….',
      );
    }
    const st = await fsp.stat(body.path).catch(() => undefined);
    if (!st?.isFile())
      throw new BootlabError(
        'NOT_FOUND',
        `${body.path} is not a file.`,
        'Pick an existing ISO or boot file.',
      );
    const name = basename(body.path).replace(/[^A-Za-z0-9._+-]/g, '_');
    const iso = /\.iso$/i.test(name);
    const dir = iso ? library.isos.folderAbs() : join(deps.bootRoot(), 'downloads');
    const rel = iso ? library.isos.folderRel() : 'downloads';
    await fsp.mkdir(dir, { recursive: true });
    // Copied under a dot name (the library ignores those) and renamed when complete.
    const tmp = join(dir, `.${randomBytes(4).toString('hex')}.import`);
    try {
      await pipeline(createReadStream(body.path), createWriteStream(tmp));
      await fsp.rename(tmp, join(dir, name));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw new BootlabError(
        'INTERNAL',
        `Could not copy ${body.path}: ${(err as Error).message}.`,
        'Check the free space in the boot folder.',
      );
    }
    void library.isos.scan();
    return { bootPath: rel ? `${rel}/${name}` : name };
  });
  router.add('POST /api/library/add-to-menu', async ({ body }) => {
    const item = library.catalog.item(body.catalogId);
    if (!item) throw notFound(`The catalog item ${body.catalogId}`);
    const done = library.downloads.list().find((d) => d.catalogId === item.id && d.state === 'done');
    const entry = catalogMenuEntry(item, done?.bootPath);
    if (!entry) {
      throw new BootlabError(
        'BAD_REQUEST',
        item.kind === 'iso'
          ? `${item.name} is an ISO: it appears in the menu by itself once downloaded and verified.`
          : `${item.name} is not downloaded and verified yet.`,
        'Download it first.',
      );
    }
    const config = deps.store.profile.menu;
    const menus = config.menus.map((m) =>
      m.id === config.root ? { ...m, entries: [...m.entries.filter((e) => e.id !== entry.id), entry] } : m,
    );
    await deps.menu.save({ ...config, menus });
    return { entryId: entry.id };
  });
  router.add('POST /api/library/rescue', async ({ body }) => oneClickRescue(deps, body.entryId));
}
