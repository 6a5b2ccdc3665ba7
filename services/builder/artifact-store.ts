import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import type { ArtifactView } from './views.js';

/**
 * Built images, one folder each: <data>/builder/artifacts/<id>/<file>, artifact.json (request, source
 * version, sha256, size, build time) and build.log. The id is the cache key (cache-key.ts), so an identical
 * request finds its output by name; artifact.json is written last (atomically), so a crash mid-copy leaves
 * no record that points at a torn file.
 */
export type ArtifactRecord = Omit<ArtifactView, 'stale' | 'servedAs'>;

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function dirBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const p = join(dir, name);
    try {
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      total += st.isDirectory() ? dirBytes(p) : st.size;
    } catch {
      /* vanished */
    }
  }
  return total;
}

export class ArtifactStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'builder', 'artifacts');
    mkdirSync(this.dir, { recursive: true });
  }

  get(id: string): ArtifactRecord | undefined {
    if (!/^[0-9a-f]{8,64}$/.test(id)) return undefined;
    try {
      const r = JSON.parse(readFileSync(join(this.dir, id, 'artifact.json'), 'utf8')) as ArtifactRecord;
      statSync(r.path);
      return r;
    } catch {
      return undefined;
    }
  }

  list(): ArtifactRecord[] {
    return readdirSync(this.dir)
      .map((id) => this.get(id))
      .filter((r): r is ArtifactRecord => Boolean(r))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Copies a finished output into the store and records it. */
  add(record: Omit<ArtifactRecord, 'path' | 'size' | 'sha256'>, from: string, log: string): ArtifactRecord {
    const dir = join(this.dir, record.id);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, record.file);
    copyFileSync(from, `${path}.tmp`);
    renameSync(`${path}.tmp`, path);
    writeFileSync(join(dir, 'build.log'), log);
    const full: ArtifactRecord = { ...record, path, size: statSync(path).size, sha256: sha256File(path) };
    writeFileAtomicSync(join(dir, 'artifact.json'), JSON.stringify(full, null, 2));
    return full;
  }

  buildLog(id: string): string | undefined {
    try {
      return readFileSync(join(this.dir, id, 'build.log'), 'utf8');
    } catch {
      return undefined;
    }
  }

  remove(id: string): boolean {
    if (!this.get(id)) return false;
    rmSync(join(this.dir, id), { recursive: true, force: true });
    return true;
  }

  bytes(): number {
    return dirBytes(this.dir);
  }
}
