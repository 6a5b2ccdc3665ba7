import { join, resolve } from 'node:path';
import type { EventBus } from '../core/bus.js';
import { diskFile } from '../core/disk-file.js';
import type { Runtime, VirtualFileProvider } from '../core/runtime.js';
import type { MenuContributor } from '../menu/contributions.js';
import { CatalogStore } from './catalog.js';
import type { LibraryConfig } from './config.js';
import { DownloadManager } from './download-manager.js';
import { IsoLibrary } from './iso-library.js';
import { LIBRARY_PREFIX, libraryContribution } from './library-menu.js';
import type { BootMethod, LibraryOverview } from './views.js';

/**
 * The boot library as the host owns it: the ISO folder (iso-library.ts), the catalog (catalog.ts) and the
 * download queue (download-manager.ts), wired to the menu (a contributor: each ready ISO gets its own
 * submenu without editing), to the boot servers (extracted files served under bootlab-library/) and to
 * the event bus (`library.changed`, `library.download`).
 */

export interface BootLibraryDeps {
  dataDir: string;
  bootRoot: () => string;
  settings: () => LibraryConfig;
  saveSettings: (patch: Partial<LibraryConfig>) => Promise<void>;
  bus: EventBus;
  log?: { info(m: string): void; warn(m: string): void };
  settleMs?: number;
  pollMs?: number;
}

export class BootLibrary {
  readonly isos: IsoLibrary;
  readonly catalog: CatalogStore;
  readonly downloads: DownloadManager;
  private changeTimer: NodeJS.Timeout | undefined;
  private removers: (() => void)[] = [];

  constructor(private readonly deps: BootLibraryDeps) {
    this.isos = new IsoLibrary({
      bootRoot: deps.bootRoot,
      folder: () => deps.settings().folder,
      cacheDir: join(deps.dataDir, 'library', 'cache'),
      overrides: () => deps.settings().overrides,
      args: () => deps.settings().args,
      onChange: () => this.changed(),
      log: deps.log,
      settleMs: deps.settleMs,
      pollMs: deps.pollMs,
    });
    this.catalog = new CatalogStore(deps.dataDir);
    this.downloads = new DownloadManager({
      dataDir: deps.dataDir,
      destination: (kind) =>
        kind === 'iso'
          ? { dir: this.isos.folderAbs(), rel: this.isos.folderRel() }
          : { dir: resolve(deps.bootRoot(), 'downloads'), rel: 'downloads' },
      keyPath: (f) => this.catalog.keyPath(f),
      parallel: () => deps.settings().parallel,
      onUpdate: (view) => deps.bus.emit('library.download', view),
      onDone: () => void this.isos.scan(),
      log: deps.log,
    });
  }

  /** At most one `library.changed` event per 200 ms: the UI reloads GET /api/library on it. */
  private changed(): void {
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      this.deps.bus.emit('library.changed', { isos: this.isos.views().length });
    }, 200);
  }

  /** The menu contributor: one submenu per ready ISO. */
  contributor(): MenuContributor {
    return {
      contribution: () => libraryContribution(this.isos.views()),
      hasFile: (p) => this.fileFor(p) !== undefined,
    };
  }

  /** `bootlab-library/<key>/<method>/<path inside the ISO>` → the extracted file. */
  private fileFor(requested: string): string | undefined {
    const parts = requested.replace(/\\/g, '/').replace(/^\/+/, '').split('/');
    if (parts[0] !== LIBRARY_PREFIX || parts.length < 4) return undefined;
    const [, key, method, ...rest] = parts;
    return this.isos.extractedFile(key!, method!, rest.join('/'));
  }

  fileProvider(): VirtualFileProvider {
    return async (requested) => {
      const abs = this.fileFor(requested);
      return abs ? diskFile(abs) : undefined;
    };
  }

  /** Starts watching and resumes saved downloads; installs the files and the menu contributor. */
  async start(runtime: Runtime, menu: { addContributor(c: MenuContributor): () => void }): Promise<void> {
    this.removers.push(runtime.addVirtualFiles(this.fileProvider()));
    this.removers.push(menu.addContributor(this.contributor()));
    this.isos.start();
    await this.downloads.load();
    const url = this.deps.settings().catalogUrl;
    if (url) {
      this.catalog.update(url).catch((err: unknown) => this.deps.log?.warn((err as Error).message));
    }
  }

  async stop(): Promise<void> {
    this.isos.stop();
    await this.downloads.close();
    this.removers.forEach((r) => r());
    this.removers = [];
    if (this.changeTimer) clearTimeout(this.changeTimer);
  }

  async setMethod(file: string, method: BootMethod | null, args?: string): Promise<void> {
    const overrides = { ...this.deps.settings().overrides };
    if (method) overrides[file] = method;
    else delete overrides[file];
    const allArgs = { ...this.deps.settings().args };
    if (args !== undefined) {
      if (args.trim()) allArgs[file] = args.trim();
      else delete allArgs[file];
    }
    await this.deps.saveSettings({ overrides, args: allArgs });
    await this.isos.overridesChanged();
  }

  overview(): LibraryOverview {
    return {
      folder: this.isos.folderRel(),
      isos: this.isos.views(),
      downloads: this.downloads.list(),
      catalog: this.catalog.views(),
    };
  }
}
