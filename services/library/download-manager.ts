import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../core/atomic-file.js';
import type { CatalogItem } from './catalog-model.js';
import { extractIsoFiles } from './iso-files.js';
import { findChecksum, hashFile, verifySignature } from './checksums.js';
import { FetchError, fetchText, fetchToFile } from './http-fetch.js';
import type { DownloadState, DownloadView } from './views.js';

/**
 * Download queue for catalog items: at most `parallel()` transfers at once, pause/resume by HTTP Range,
 * mirror fallback, and verification against the publisher's checksum (and signature) before a file is
 * moved where Bootlab serves it. The queue is saved atomically in the data dir (downloads.json) and the
 * partial files stay in <data dir>/library/partial, so a restart resumes where it stopped. Progress is
 * reported at most every `progressMs` per download (plus state changes), whatever the transfer rate.
 */

interface DownloadRecord {
  id: string;
  catalogId?: string;
  name: string;
  fileName: string;
  kind: CatalogItem['kind'];
  urls: string[];
  urlIndex: number;
  checksum: NonNullable<CatalogItem['checksum']>;
  signature?: CatalogItem['signature'];
  unpack?: CatalogItem['unpack'];
  state: DownloadState;
  bytes: number;
  total: number | null;
  validator?: string;
  verification?: string;
  error?: string;
  bootPath?: string;
}

export interface DownloadManagerDeps {
  dataDir: string;
  /** Where a verified file goes: absolute folder and its path relative to the boot root. */
  destination: (kind: CatalogItem['kind']) => { dir: string; rel: string };
  keyPath: (keyFile: string) => string | undefined;
  parallel: () => number;
  onUpdate: (view: DownloadView) => void;
  /** A verified file is in place (the library rescans). */
  onDone?: (view: DownloadView) => void;
  log?: { info(m: string): void; warn(m: string): void };
  progressMs?: number;
}

interface Running {
  abort: AbortController;
  done: Promise<void>;
  rate: { at: number; bytes: number; bps: number };
}

export class DownloadManager {
  private records: DownloadRecord[] = [];
  private readonly running = new Map<string, Running>();
  private saveChain: Promise<void> = Promise.resolve();
  private lastEmit = new Map<string, number>();
  private lastSave = new Map<string, number>();
  private closed = false;

  constructor(private readonly deps: DownloadManagerDeps) {}

  private get statePath(): string {
    return join(this.deps.dataDir, 'library', 'downloads.json');
  }
  private partPath(r: DownloadRecord): string {
    return join(this.deps.dataDir, 'library', 'partial', `${r.id}.part`);
  }

  /** Loads the saved queue; transfers cut by a stop or crash go back into the queue with their bytes. */
  async load(): Promise<void> {
    try {
      const saved = JSON.parse(await readFile(this.statePath, 'utf8')) as { downloads?: DownloadRecord[] };
      this.records = Array.isArray(saved.downloads) ? saved.downloads : [];
    } catch {
      this.records = [];
    }
    for (const r of this.records) {
      if (r.state === 'downloading' || r.state === 'verifying') r.state = 'queued';
      if (r.state === 'queued' || r.state === 'paused') {
        r.bytes = await stat(this.partPath(r)).then(
          (s) => s.size,
          () => 0,
        );
      }
    }
    this.pump();
  }

  list(): DownloadView[] {
    return this.records.map((r) => this.view(r));
  }

  private view(r: DownloadRecord): DownloadView {
    const rate = this.running.get(r.id)?.rate.bps ?? 0;
    const eta = rate > 0 && r.total !== null ? Math.max(0, Math.round((r.total - r.bytes) / rate)) : null;
    return {
      id: r.id,
      ...(r.catalogId ? { catalogId: r.catalogId } : {}),
      name: r.name,
      fileName: r.fileName,
      state: r.state,
      bytes: r.bytes,
      total: r.total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: r.state === 'downloading' ? eta : null,
      url: r.urls[Math.min(r.urlIndex, r.urls.length - 1)] ?? '',
      ...(r.verification ? { verification: r.verification } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.bootPath ? { bootPath: r.bootPath } : {}),
    };
  }

  private save(): Promise<void> {
    const data = JSON.stringify({ downloads: this.records }, null, 1);
    this.saveChain = this.saveChain
      .then(() => writeFileAtomic(this.statePath, data))
      .catch((err: unknown) => {
        this.deps.log?.warn(`Could not save the download queue: ${(err as Error).message}`);
      });
    return this.saveChain;
  }

  private changed(r: DownloadRecord, force: boolean): void {
    const now = Date.now();
    if (!force && now - (this.lastEmit.get(r.id) ?? 0) < (this.deps.progressMs ?? 250)) return;
    this.lastEmit.set(r.id, now);
    this.deps.onUpdate(this.view(r));
  }

  private setState(r: DownloadRecord, state: DownloadState, extra: Partial<DownloadRecord> = {}): void {
    Object.assign(r, { state }, extra);
    this.changed(r, true);
    void this.save();
  }

  /** Queues a catalog item. Refuses one that cannot be verified. */
  add(item: CatalogItem): DownloadView {
    if (!item.checksum || !item.fileName || item.urls.length === 0) {
      throw new Error(
        `${item.name} has no publisher checksum or download address in the catalog, so Bootlab does not download it.`,
      );
    }
    const existing = this.records.find(
      (r) => r.catalogId === item.id && r.state !== 'failed' && r.state !== 'done',
    );
    if (existing) return this.view(existing);
    const r: DownloadRecord = {
      id: `${item.id}-${randomBytes(3).toString('hex')}`,
      catalogId: item.id,
      name: item.name,
      fileName: item.fileName,
      kind: item.kind,
      urls: item.urls,
      urlIndex: 0,
      checksum: item.checksum,
      ...(item.signature ? { signature: item.signature } : {}),
      ...(item.unpack ? { unpack: item.unpack } : {}),
      state: 'queued',
      bytes: 0,
      total: item.size ?? null,
    };
    // Finished or failed downloads of the same item are replaced by the new one.
    this.records = this.records.filter((x) => x.catalogId !== item.id || x.state === 'queued');
    this.records.push(r);
    this.setState(r, 'queued');
    this.pump();
    return this.view(r);
  }

  private find(id: string): DownloadRecord {
    const r = this.records.find((x) => x.id === id);
    if (!r) throw new Error(`No download ${id}.`);
    return r;
  }

  async pause(id: string): Promise<DownloadView> {
    const r = this.find(id);
    if (r.state === 'queued') this.setState(r, 'paused');
    const run = this.running.get(id);
    if (run) {
      r.state = 'paused';
      run.abort.abort();
      await run.done;
    }
    return this.view(r);
  }

  resume(id: string): DownloadView {
    const r = this.find(id);
    if (r.state === 'paused' || r.state === 'failed') {
      this.setState(r, 'queued', { error: undefined });
      this.pump();
    }
    return this.view(r);
  }

  async remove(id: string): Promise<void> {
    const r = this.find(id);
    r.state = 'failed';
    const run = this.running.get(id);
    if (run) {
      run.abort.abort();
      await run.done;
    }
    this.records = this.records.filter((x) => x !== r);
    await rm(this.partPath(r), { force: true });
    await this.save();
  }

  /** Stops every transfer (bytes kept for the next start). */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.running.values()];
    runs.forEach((x) => x.abort.abort());
    await Promise.all(runs.map((x) => x.done));
    for (const r of this.records) if (r.state === 'downloading') r.state = 'queued';
    await this.save();
  }

  private pump(): void {
    if (this.closed) return;
    for (const r of this.records) {
      if (this.running.size >= Math.max(1, this.deps.parallel())) break;
      if (r.state !== 'queued' || this.running.has(r.id)) continue;
      const abort = new AbortController();
      const run: Running = {
        abort,
        done: Promise.resolve(),
        rate: { at: Date.now(), bytes: r.bytes, bps: 0 },
      };
      this.running.set(r.id, run);
      run.done = this.run(r, run).finally(() => {
        this.running.delete(r.id);
        this.pump();
      });
    }
  }

  private async run(r: DownloadRecord, run: Running): Promise<void> {
    const part = this.partPath(r);
    await mkdir(join(this.deps.dataDir, 'library', 'partial'), { recursive: true });
    r.bytes = await stat(part).then(
      (s) => s.size,
      () => 0,
    );
    this.setState(r, 'downloading', { error: undefined });
    let lastError = '';
    let attempts = 1;
    while (r.urlIndex < r.urls.length) {
      const url = r.urls[r.urlIndex]!;
      try {
        const result = await fetchToFile(url, part, {
          offset: r.bytes,
          ...(r.validator ? { validator: r.validator } : {}),
          signal: run.abort.signal,
          onData: (bytes, total) => {
            r.bytes = bytes;
            if (total !== null) r.total = total;
            const now = Date.now();
            const dt = now - run.rate.at;
            if (dt >= 500) {
              const inst = ((bytes - run.rate.bytes) * 1000) / dt;
              run.rate.bps = run.rate.bps === 0 ? inst : run.rate.bps * 0.6 + inst * 0.4;
              run.rate.at = now;
              run.rate.bytes = bytes;
            }
            this.changed(r, false);
            if (now - (this.lastSave.get(r.id) ?? 0) > 2000) {
              this.lastSave.set(r.id, now);
              void this.save();
            }
          },
        });
        r.total = result.total;
        if (result.validator) r.validator = result.validator;
        break;
      } catch (err) {
        if (run.abort.signal.aborted) {
          // Paused, removed or closing: keep the bytes for later.
          r.bytes = await stat(part).then(
            (s) => s.size,
            () => 0,
          );
          if (r.state === 'downloading') r.state = 'queued';
          this.changed(r, true);
          await this.save();
          return;
        }
        lastError = (err as Error).message;
        const retryable = err instanceof FetchError ? err.retryable : true;
        r.bytes = await stat(part).then(
          (s) => s.size,
          () => 0,
        );
        // A cut connection: the same address again, from where it stopped (Range), a few times.
        if (retryable && attempts < SAME_URL_ATTEMPTS) {
          attempts++;
          this.deps.log?.warn(
            `Download of ${r.name} from ${url} was cut (${lastError}); resuming at ${r.bytes} bytes.`,
          );
          await delay(Math.min(5000, 300 * attempts), run.abort.signal);
          if (run.abort.signal.aborted) continue;
          continue;
        }
        attempts = 1;
        this.deps.log?.warn(
          `Download of ${r.name} from ${url} failed: ${lastError}.${r.urlIndex + 1 < r.urls.length ? ' Trying the next mirror.' : ''}`,
        );
        // Another mirror: start that file from zero (mirrors may hold another build until checked).
        r.urlIndex++;
        r.bytes = 0;
        r.validator = undefined;
        await rm(part, { force: true });
        this.changed(r, true);
      }
    }
    if (r.urlIndex >= r.urls.length) {
      r.urlIndex = 0;
      this.setState(r, 'failed', {
        error: `Every download address failed (last: ${lastError}). Check the network, then press Retry.`,
      });
      return;
    }
    this.setState(r, 'verifying', { bytes: r.total ?? r.bytes });
    try {
      r.verification = await this.verify(r, part);
    } catch (err) {
      await rm(part, { force: true });
      this.setState(r, 'failed', {
        bytes: 0,
        validator: undefined,
        error: `${(err as Error).message} The file was deleted and is not offered for booting. Press Retry to download it again.`,
      });
      this.deps.log?.warn(`${r.name}: ${r.error}`);
      return;
    }
    const dest = this.deps.destination(r.kind);
    await mkdir(dest.dir, { recursive: true });
    const target = join(dest.dir, r.fileName);
    await moveFile(part, target);
    if (r.unpack) {
      // An archive (memtest86+ ships zip files): take the boot files out beside it, once verified.
      const files = [r.unpack.bios, r.unpack.efi].filter((f): f is string => Boolean(f));
      try {
        await extractIsoFiles(target, files, join(dest.dir, r.catalogId ?? r.id));
      } catch (err) {
        this.setState(r, 'failed', {
          error: `The archive could not be unpacked: ${(err as Error).message}.`,
        });
        return;
      }
    }
    this.setState(r, 'done', { bootPath: dest.rel ? `${dest.rel}/${r.fileName}` : r.fileName });
    this.deps.log?.info(`${r.name} downloaded and verified: ${r.verification}`);
    this.deps.onDone?.(this.view(r));
  }

  /** Checks the file against the publisher's checksum (and signature). Throws a sentence on failure. */
  private async verify(r: DownloadRecord, part: string): Promise<string> {
    const tmp = await mkdtemp(join(tmpdir(), 'bootlab-verify-'));
    try {
      const sumsFile = join(tmp, 'checksums');
      const sums = await firstOk(r.checksum.urls, (u) => fetchText(u, sumsFile, 8 * 1024 * 1024)).catch(
        (e: Error) => {
          throw new Error(`The publisher's checksum file could not be fetched (${e.message}).`);
        },
      );
      let signed = '';
      if (r.signature) {
        const key = this.deps.keyPath(r.signature.keyFile);
        if (!key) {
          throw new Error(
            `The publisher's key file ${r.signature.keyFile} is not installed, so the signature cannot be checked. Put the key (from the publisher's site) in the catalog-keys folder of the data dir.`,
          );
        }
        const sigFile = join(tmp, 'signature');
        await firstOk(r.signature.urls, (u) =>
          fetchToFile(u, sigFile, { offset: 0, maxBytes: 1024 * 1024 }),
        ).catch((e: Error) => {
          throw new Error(`The publisher's signature could not be fetched (${e.message}).`);
        });
        const res = await verifySignature(key, sigFile, r.signature.covers === 'checksum' ? sumsFile : part);
        if (!res.ok) throw new Error(`The signature check failed: ${res.detail}.`);
        signed = `, signature good (key ${res.fingerprint})`;
      }
      const expected = findChecksum(sums, r.checksum.name ?? r.fileName, r.checksum.algorithm);
      if (!expected)
        throw new Error(`The publisher's checksum file does not list ${r.checksum.name ?? r.fileName}.`);
      const actual = await hashFile(part, r.checksum.algorithm);
      const alg = r.checksum.algorithm === 'sha256' ? 'SHA-256' : 'SHA-512';
      if (actual !== expected) {
        throw new Error(
          `The downloaded file is damaged: its ${alg} does not match the publisher's checksum.`,
        );
      }
      return `${alg} matches the publisher's checksum file${signed}`;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

const SAME_URL_ATTEMPTS = 4;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function firstOk<T>(urls: readonly string[], f: (u: string) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const u of urls) {
    try {
      return await f(u);
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error('no address');
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // Another file system: copy under a dot name (the library ignores those), then rename into place.
    const tmp = join(to, '..', `.${randomBytes(4).toString('hex')}.tmp`);
    await copyFile(from, tmp);
    await rename(tmp, to);
    await unlink(from);
  }
}
