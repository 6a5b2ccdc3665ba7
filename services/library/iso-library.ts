import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp, watch, type Dirent, type FSWatcher } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { extractIsoFiles, listIsoFiles } from './iso-files.js';
import { NotAnIsoError, readIsoVolume } from './iso-volume.js';
import { inspectLayout } from './layouts.js';
import type { BootMethod, BootPlan, IsoInspection, LibraryIsoView } from './views.js';

/**
 * The ISO folder: finds *.iso files (watching the folder, and polling because fs.watch misses changes on
 * some file systems), waits until a file stops growing, hashes it (streamed), inspects it (iso-volume.ts,
 * iso-files.ts, layouts.ts) and takes out the files its boot plan needs into a cache keyed by the hash, so
 * a renamed or re-copied ISO is never extracted twice. Calls `onChange` whenever the list changes.
 */

export interface IsoLibraryOptions {
  /** Absolute boot root; the folder is inside it so the ISO itself is served over HTTP. */
  bootRoot: () => string;
  /** Folder relative to the boot root (default "isos"). */
  folder: () => string;
  /** Absolute cache folder for inspections and extracted files. */
  cacheDir: string;
  /** Method overrides by file (relative to the folder). */
  overrides: () => Readonly<Record<string, BootMethod>>;
  /** Extra kernel arguments by file. */
  args?: () => Readonly<Record<string, string>>;
  onChange: () => void;
  log?: { info(m: string): void; warn(m: string): void };
  /** How long a file's size and time must stay unchanged before it is offered (default 3 s). */
  settleMs?: number;
  pollMs?: number;
  /** Cache entries of ISOs gone from the folder are deleted after this many days unused (default 14). */
  cacheKeepDays?: number;
}

interface Tracked {
  file: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** When size and mtime were last seen to change. */
  changedAt: number;
  state: LibraryIsoView['state'];
  message?: string;
  sha256?: string;
  inspection?: IsoInspection;
  /** Extraction done for this plan method. */
  extracted: Set<BootMethod>;
  busy: boolean;
}

const MAX_DEPTH = 2;
const PRUNE_EVERY_MS = 3600_000;
const MAX_FILES = 500;

export function libraryIdFor(file: string): string {
  const stem = file.replace(/\.iso$/i, '').toLowerCase();
  let slug = stem.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!slug) slug = 'iso';
  const hash = createHash('sha1').update(file).digest('hex').slice(0, 6);
  return `${slug.slice(0, 30)}-${hash}`;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class IsoLibrary {
  private readonly items = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private watchedDir = '';
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(private readonly opts: IsoLibraryOptions) {}

  folderAbs(): string {
    return resolve(this.opts.bootRoot(), this.opts.folder());
  }

  /** The folder relative to the boot root, "/"-separated. */
  folderRel(): string {
    return relative(this.opts.bootRoot(), this.folderAbs()).split(sep).join('/');
  }

  start(): void {
    this.stopped = false;
    void this.scan();
    this.timer = setInterval(() => void this.scan(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private ensureWatch(dir: string): void {
    if (this.watchedDir === dir && this.watcher) return;
    this.watcher?.close();
    this.watcher = undefined;
    this.watchedDir = dir;
    try {
      this.watcher = watch(dir, () => void this.scan());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // The folder may not exist yet: the poll keeps looking.
    }
  }

  /** Scans now; overlapping calls are merged into one more pass. */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.rescan = false;
          await this.scanOnce();
        } while (this.rescan && !this.stopped);
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  private async listIsos(dir: string, rel = '', depth = 0, out: string[] = []): Promise<string[]> {
    let names: Dirent[];
    try {
      names = await fsp.readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      return out;
    }
    for (const d of names) {
      if (out.length >= MAX_FILES || d.name.startsWith('.')) continue;
      const p = rel ? posix.join(rel, d.name) : d.name;
      if (d.isDirectory() && depth < MAX_DEPTH) await this.listIsos(dir, p, depth + 1, out);
      else if (d.isFile() && /\.iso$/i.test(d.name)) out.push(p);
    }
    return out;
  }

  private async scanOnce(): Promise<void> {
    const dir = this.folderAbs();
    this.ensureWatch(dir);
    const files = await this.listIsos(dir);
    const now = Date.now();
    let changed = false;
    for (const key of [...this.items.keys()]) {
      if (!files.includes(key) || this.items.get(key)!.abs !== join(dir, key)) {
        this.items.delete(key);
        changed = true;
      }
    }
    for (const file of files) {
      const abs = join(dir, file);
      let st;
      try {
        st = await fsp.stat(abs);
      } catch {
        continue;
      }
      let t = this.items.get(file);
      if (!t) {
        t = {
          file,
          abs,
          size: st.size,
          mtimeMs: st.mtimeMs,
          changedAt: now,
          state: 'growing',
          extracted: new Set(),
          busy: false,
        };
        t.message = 'Waiting until the file stops growing (still being copied?).';
        this.items.set(file, t);
        changed = true;
      } else if (t.size !== st.size || t.mtimeMs !== st.mtimeMs) {
        Object.assign(t, { size: st.size, mtimeMs: st.mtimeMs, changedAt: now, state: 'growing' });
        t.message = 'Waiting until the file stops growing (still being copied?).';
        t.sha256 = undefined;
        t.inspection = undefined;
        t.extracted = new Set();
        changed = true;
      }
      if (t.state === 'growing' && now - t.changedAt >= (this.opts.settleMs ?? 3000) && !t.busy) {
        void this.inspect(t);
      }
    }
    if (changed) this.opts.onChange();
    if (
      now - this.lastPrune > PRUNE_EVERY_MS &&
      [...this.items.values()].every((t) => t.state === 'ready' || t.state === 'failed')
    ) {
      this.lastPrune = now;
      await this.pruneCache().catch((err: unknown) =>
        this.opts.log?.warn(`Could not clean the ISO cache: ${(err as Error).message}`),
      );
    }
    // Keep the poll going while anything waits to settle, even if no event comes.
  }

  private async inspect(t: Tracked): Promise<void> {
    t.busy = true;
    t.state = 'inspecting';
    t.message = undefined;
    this.opts.onChange();
    const size = t.size;
    try {
      const sha = await sha256File(t.abs);
      const st = await fsp.stat(t.abs);
      if (st.size !== size || st.mtimeMs !== t.mtimeMs) {
        t.state = 'growing';
        t.changedAt = Date.now();
        return;
      }
      t.sha256 = sha;
      const cached = join(this.cacheDirOf(sha), 'inspection.json');
      let inspection: IsoInspection | undefined;
      try {
        inspection = JSON.parse(await fsp.readFile(cached, 'utf8')) as IsoInspection;
      } catch {
        inspection = undefined;
      }
      if (!inspection) {
        const volume = await readIsoVolume(t.abs);
        const files = await listIsoFiles(t.abs);
        inspection = inspectLayout(volume, files, size);
        await writeFileAtomic(cached, JSON.stringify(inspection));
      }
      t.inspection = inspection;
      // Marks the cache entry as in use (pruneCache keeps entries used recently).
      const at = new Date();
      await fsp.utimes(cached, at, at).catch(() => {});
      await this.prepare(t);
      t.state = 'ready';
      this.opts.log?.info(
        `ISO ${t.file}: ${inspection.familyLabel}, booted by ${this.methodOf(t) ?? 'nothing'}.`,
      );
    } catch (err) {
      t.state = 'failed';
      t.message =
        err instanceof NotAnIsoError
          ? `${t.file} is not an ISO 9660 image (${err.message}). Copy the ISO again or remove it from the folder.`
          : `Could not read ${t.file}: ${(err as Error).message}. Check the file, then copy it again.`;
      this.opts.log?.warn(t.message);
    } finally {
      t.busy = false;
      this.opts.onChange();
    }
  }

  /**
   * Deletes cached inspections and extracted files of ISOs that are no longer in the folder and were not
   * used for `cacheKeepDays`, so the cache does not grow forever; an ISO moved away for a while and brought
   * back is not read again.
   */
  async pruneCache(): Promise<string[]> {
    const keep = new Set([...this.items.values()].flatMap((t) => (t.sha256 ? [t.sha256.slice(0, 32)] : [])));
    const maxAgeMs = (this.opts.cacheKeepDays ?? 14) * 24 * 3600 * 1000;
    const removed: string[] = [];
    let names: string[];
    try {
      names = await fsp.readdir(this.opts.cacheDir);
    } catch {
      return removed;
    }
    for (const name of names) {
      if (!/^[0-9a-f]{32}$/.test(name) || keep.has(name)) continue;
      const dir = join(this.opts.cacheDir, name);
      const used = await fsp
        .stat(join(dir, 'inspection.json'))
        .then((st) => st.mtimeMs)
        .catch(() => 0);
      if (Date.now() - used < maxAgeMs) continue;
      await fsp.rm(dir, { recursive: true, force: true });
      removed.push(name);
    }
    if (removed.length > 0)
      this.opts.log?.info(
        `Removed ${removed.length} unused ISO cache entr${removed.length === 1 ? 'y' : 'ies'}.`,
      );
    return removed;
  }

  cacheDirOf(sha: string): string {
    return join(this.opts.cacheDir, sha.slice(0, 32));
  }

  /** The method in use: the override when it is one of the plans, else the recommended one. */
  methodOf(t: { file: string; inspection?: IsoInspection }): BootMethod | undefined {
    const plans = t.inspection?.plans ?? [];
    const o = this.opts.overrides()[t.file];
    if (o && plans.some((p) => p.method === o)) return o;
    return plans[0]?.method;
  }

  planOf(t: { file: string; inspection?: IsoInspection }): BootPlan | undefined {
    const m = this.methodOf(t);
    return t.inspection?.plans.find((p) => p.method === m);
  }

  /** Takes out the files the chosen plan needs (once per ISO hash). */
  private async prepare(t: Tracked): Promise<void> {
    const plan = this.planOf(t);
    if (!plan || plan.extract.length === 0 || !t.sha256) return;
    const dest = join(this.cacheDirOf(t.sha256), plan.method);
    if (!existsSync(join(dest, '.complete'))) {
      this.opts.log?.info(`Taking ${plan.extract.length} file(s) out of ${t.file} (once)…`);
      await extractIsoFiles(t.abs, plan.extract, dest);
      await fsp.writeFile(join(dest, '.complete'), '');
    }
    t.extracted.add(plan.method);
  }

  /** Called after an override changed: extracts what the new plan needs. */
  async overridesChanged(): Promise<void> {
    for (const t of this.items.values()) {
      if (t.state !== 'ready') continue;
      try {
        await this.prepare(t);
      } catch (err) {
        t.state = 'failed';
        t.message = `Could not take files out of ${t.file}: ${(err as Error).message}.`;
      }
    }
    this.opts.onChange();
  }

  /** Absolute cache path of an extracted file for `bootlab-library/<key>/<method>/<path>`, or undefined. */
  extractedFile(key: string, method: string, isoPath: string): string | undefined {
    for (const t of this.items.values()) {
      if (t.sha256?.slice(0, 32) !== key || !t.extracted.has(method as BootMethod)) continue;
      const plan = t.inspection?.plans.find((p) => p.method === method);
      const hit = plan?.extract.find((p) => p === isoPath);
      if (hit) return join(this.cacheDirOf(t.sha256), method, ...hit.split('/'));
    }
    return undefined;
  }

  views(): LibraryIsoView[] {
    const rel = this.folderRel();
    return [...this.items.values()]
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((t) => {
        const method = t.state === 'ready' ? this.methodOf(t) : undefined;
        const override = this.opts.overrides()[t.file];
        return {
          id: libraryIdFor(t.file),
          file: t.file,
          bootPath: rel ? `${rel}/${t.file}` : t.file,
          size: t.size,
          state: t.state,
          ...(t.message ? { message: t.message } : {}),
          ...(t.sha256 ? { sha256: t.sha256 } : {}),
          name: t.inspection?.volumeId || t.file.replace(/\.iso$/i, ''),
          ...(t.inspection ? { inspection: t.inspection } : {}),
          ...(method ? { method } : {}),
          overridden: Boolean(override && method === override),
          ...(this.opts.args?.()[t.file] ? { extraArgs: this.opts.args()[t.file] } : {}),
          ...(t.state === 'ready' ? { menuId: `lib-${libraryIdFor(t.file)}` } : {}),
        };
      });
  }

  /** The cache key used in `bootlab-library/<key>/…` URLs. */
  static cacheKey(sha256: string): string {
    return sha256.slice(0, 32);
  }
}
