import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomic-file.js';
import {
  catalogSchema,
  isDownloadable,
  verificationText,
  type Catalog,
  type CatalogItem,
} from './catalog-model.js';
import { fetchText } from './http-fetch.js';
import type { CatalogItemView } from './views.js';

/**
 * The catalog in use: the one shipped in assets/catalog/catalog.json, or a newer one fetched from the
 * catalog URL (a setting; empty turns updates off) and kept in the data dir. A fetched catalog replaces
 * the shipped one only when it parses and its version differs; a bad one is reported and ignored.
 */

const HERE = dirname(fileURLToPath(import.meta.url));

/** assets/catalog, from source (services/library) and from the build (dist/services/library). */
export function assetsCatalogDir(): string {
  for (const up of ['../../assets/catalog', '../../../assets/catalog']) {
    const dir = resolve(HERE, up);
    if (existsSync(join(dir, 'catalog.json'))) return dir;
  }
  return resolve(HERE, '../../assets/catalog');
}

export class CatalogStore {
  private catalog: Catalog;
  private source: string;
  updateError: string | undefined;

  constructor(private readonly dataDir: string) {
    const shipped = this.read(join(assetsCatalogDir(), 'catalog.json'));
    const fetched = this.read(this.fetchedPath());
    this.catalog = fetched ?? shipped ?? { format: 1, version: 'none', items: [] };
    this.source = fetched ? 'downloaded catalog' : 'built-in catalog';
  }

  private fetchedPath(): string {
    return join(this.dataDir, 'library', 'catalog.json');
  }

  private read(path: string): Catalog | undefined {
    try {
      const parsed = catalogSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  get current(): Catalog {
    return this.catalog;
  }

  item(id: string): CatalogItem | undefined {
    return this.catalog.items.find((i) => i.id === id);
  }

  /** Fetches the catalog from `url` (empty: updates are off). */
  async update(url: string): Promise<{ updated: boolean; version: string }> {
    if (!url) {
      this.updateError = undefined;
      return { updated: false, version: this.catalog.version };
    }
    const tmp = await mkdtemp(join(tmpdir(), 'bootlab-catalog-'));
    try {
      const text = await fetchText(url, join(tmp, 'catalog.json'), 2 * 1024 * 1024);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('it is not JSON');
      }
      const parsed = catalogSchema.safeParse(json);
      if (!parsed.success) {
        throw new Error(
          `it is not a Bootlab catalog (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
        );
      }
      this.updateError = undefined;
      const updated = parsed.data.version !== this.catalog.version || this.source !== 'downloaded catalog';
      this.catalog = parsed.data;
      this.source = 'downloaded catalog';
      await writeFileAtomic(this.fetchedPath(), JSON.stringify(parsed.data, null, 2));
      return { updated, version: parsed.data.version };
    } catch (err) {
      this.updateError = `The catalog could not be updated from ${url}: ${(err as Error).message}. The catalog you have stays in use; check the catalog address in Settings.`;
      throw new Error(this.updateError);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Absolute path of a publisher key file, or undefined when it is not installed. */
  keyPath(keyFile: string): string | undefined {
    for (const dir of [join(this.dataDir, 'catalog-keys'), join(assetsCatalogDir(), 'keys')]) {
      const p = join(dir, keyFile);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  views(): { version: string; source: string; items: CatalogItemView[]; updateError?: string } {
    return {
      version: this.catalog.version,
      source: this.source,
      items: this.catalog.items.map((i) => ({
        id: i.id,
        name: i.name,
        description: i.description,
        kind: i.kind,
        ...(i.size ? { size: i.size } : {}),
        homepage: i.homepage,
        verification: verificationText(i),
        ...(i.notes ? { notes: i.notes } : {}),
        downloadable: isDownloadable(i),
      })),
      ...(this.updateError ? { updateError: this.updateError } : {}),
    };
  }
}
