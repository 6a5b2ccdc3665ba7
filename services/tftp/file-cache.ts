import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * First stages in memory. TFTP serves the same few files (undionly.kpxe, ipxe.efi, shim, GRUB: 0.1–2 MiB)
 * to every machine that boots, and per transfer a file read costs a thread-pool round trip and stream work
 * every 32 blocks: that, not the protocol code, was what kept Bootlab below a bare Node sender that sends
 * from memory (docs/decisions.md, "Performance (issue 18)"). Held whole, a file is cut into blocks by
 * reference (block-source.ts), with no copy and no read per block.
 * Bounded: files up to `maxFileBytes`, least recently used dropped beyond `totalBytes`. An entry is used
 * only while the file's inode, size and mtime are the ones it was read with, so a replaced or edited file
 * is read again; a file that changed while it was being read is not kept.
 */
export const CACHE_FILE_MAX_BYTES = 16 * 1024 * 1024;
export const CACHE_TOTAL_BYTES = 32 * 1024 * 1024;

interface Entry {
  version: string;
  data: Buffer;
}

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Buffer | undefined>>();
  private held = 0;
  hits = 0;
  reads = 0;

  constructor(
    private readonly maxFileBytes = CACHE_FILE_MAX_BYTES,
    private readonly totalBytes = CACHE_TOTAL_BYTES,
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * The file's bytes from memory, read (once, however many clients ask at the same time) when missing.
   * Undefined for files over the size limit or that changed while being read: stream those from disk.
   */
  async get(path: string, stat: Stats): Promise<Buffer | undefined> {
    if (stat.size > this.maxFileBytes || stat.size > this.totalBytes) return undefined;
    const version = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    const entry = this.entries.get(path);
    if (entry?.version === version) {
      this.entries.delete(path); // most recently used last
      this.entries.set(path, entry);
      this.hits++;
      return entry.data;
    }
    if (entry) this.drop(path);
    const key = `${path}\0${version}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(path, version, stat.size).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  private async load(path: string, version: string, size: number): Promise<Buffer | undefined> {
    this.reads++;
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      return undefined; // the caller streams it and reports the error the normal way
    }
    if (data.length !== size) return undefined; // written to while we read: not a version to keep
    this.drop(path);
    this.entries.set(path, { version, data });
    this.held += data.length;
    for (const [oldest] of this.entries) {
      if (this.held <= this.totalBytes) break;
      this.drop(oldest);
    }
    return data;
  }

  private drop(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    this.held -= entry.data.length;
  }
}
