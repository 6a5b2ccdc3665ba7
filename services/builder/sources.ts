import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import { BootlabError } from '../shared/errors.js';
import { withFileLock } from './file-lock.js';
import { FINGERPRINT_PREFIX, treeFingerprint } from './tree-sync.js';
import type { SourceView } from './views.js';

/**
 * iPXE sources, three ways: a Git clone (URL at a branch, tag or commit; progress and cancel), a local
 * checkout the user points at (never built in place: builds copy it into a work tree), or an imported
 * tarball (.tar.gz/.tar.xz). Each record lives in <data>/builder/sources/<id>/source.json; clones and
 * tarballs unpack beside it in tree/. Programs run with argument arrays, never a shell.
 */

export interface SourceRecord extends SourceView {
  /** iPXE's src/ directory (absolute). */
  srcDir: string;
  /** For clones and tarballs (which never change): the tree fingerprint, computed once. */
  fingerprint?: string;
}

export type SourceInput =
  | { kind: 'git'; url: string; ref?: string }
  | { kind: 'local'; path: string }
  | { kind: 'tarball'; path: string };

export const DEFAULT_GIT_URL = 'https://github.com/ipxe/ipxe';
export const DEFAULT_GIT_REF = 'master';
const REF = /^(?!-)[A-Za-z0-9._/+-]{1,120}$/;
const GIT_URL = /^(https?:\/\/|git:\/\/|ssh:\/\/|file:\/\/|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:|\/)[^\s]*$/;

function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Guesses the kind of a `--source` argument: folder, tarball, or Git URL with an optional #ref. */
export function parseSourceArg(arg: string): SourceInput {
  if (/\.(tar\.gz|tgz|tar\.xz|txz)$/i.test(arg) && existsSync(arg))
    return { kind: 'tarball', path: resolve(arg) };
  if (existsSync(arg) && statSync(arg).isDirectory() && !arg.endsWith('.git'))
    return { kind: 'local', path: resolve(arg) };
  const hash = arg.lastIndexOf('#');
  return hash > 0
    ? { kind: 'git', url: arg.slice(0, hash), ref: arg.slice(hash + 1) }
    : { kind: 'git', url: arg };
}

/** Finds iPXE's src/ in a folder: the folder itself, its src/, or one level down (tarball prefix). */
export function findSrcDir(dir: string): string | undefined {
  const isSrc = (d: string) =>
    existsSync(join(d, 'Makefile')) && existsSync(join(d, 'Makefile.housekeeping'));
  if (isSrc(dir)) return dir;
  if (isSrc(join(dir, 'src'))) return join(dir, 'src');
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const d = join(dir, name, 'src');
    if (isSrc(d)) return d;
  }
  return undefined;
}

/** "2.0.0+" from iPXE's Makefile (VERSION_MAJOR/MINOR/PATCH, EXTRAVERSION). */
export function makefileVersion(srcDir: string): string | null {
  try {
    const mk = readFileSync(join(srcDir, 'Makefile'), 'utf8');
    const v = (name: string) => new RegExp(`^${name}\\s*:?=\\s*(\\S*)`, 'm').exec(mk)?.[1] ?? '';
    const major = v('VERSION_MAJOR');
    if (!major) return null;
    return `${major}.${v('VERSION_MINOR')}.${v('VERSION_PATCH')}${v('EXTRAVERSION')}`;
  } catch {
    return null;
  }
}

function git(args: string[], cwd?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', ['-c', 'protocol.ext.allow=never', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    ok: r.status === 0,
    out: (r.stdout ?? '').trim(),
    err: (r.stderr ?? r.error?.message ?? '').trim(),
  };
}

/** `git describe` and the commit of a checkout, or nulls when it is not one. */
export function gitVersion(dir: string): { version: string | null; commit: string | null } {
  // Only the checkout's own repository counts (a folder inside another repository is not a checkout).
  const top = git(['-C', dir, 'rev-parse', '--show-toplevel']);
  if (!top.ok || resolve(top.out) !== resolve(dir)) return { version: null, commit: null };
  const commit = git(['-C', dir, 'rev-parse', 'HEAD']);
  const describe = git(['-C', dir, 'describe', '--tags', '--always', '--dirty']);
  return { version: describe.ok ? describe.out : null, commit: commit.ok ? commit.out : null };
}

/** The commit `git archive` records in a tarball's pax header ("comment=<sha>"), read from its first bytes. */
export async function tarballCommit(path: string): Promise<string | null> {
  const head = await new Promise<Buffer>((resolveHead) => {
    const chunks: Buffer[] = [];
    let got = 0;
    let child: ChildProcess | undefined;
    let stream: NodeJS.ReadableStream;
    if (/\.(tar\.xz|txz)$/i.test(path)) {
      child = spawn('xz', ['-dc', path], { stdio: ['ignore', 'pipe', 'ignore'] });
      stream = child.stdout!;
    } else stream = createReadStream(path).pipe(createGunzip());
    const done = () => {
      child?.kill();
      if ('destroy' in stream) (stream as unknown as { destroy(): void }).destroy();
      resolveHead(Buffer.concat(chunks));
    };
    stream.on('data', (b: Buffer) => {
      chunks.push(b);
      got += b.length;
      if (got >= 4096) done();
    });
    stream.on('end', done);
    stream.on('error', done);
    child?.on('error', done);
  });
  return /\d+ comment=([0-9a-f]{40})\n/.exec(head.subarray(0, 4096).toString('latin1'))?.[1] ?? null;
}

export class SourceStore {
  private readonly dir: string;
  private readonly clones = new Map<string, ChildProcess>();
  private readonly live = new Map<string, SourceRecord>();

  constructor(
    dataDir: string,
    private readonly onChange: (s: SourceView) => void = () => {},
  ) {
    this.dir = join(dataDir, 'builder', 'sources');
    mkdirSync(this.dir, { recursive: true });
  }

  list(): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const id of readdirSync(this.dir)) {
      const r = this.get(id);
      if (r) out.push(r);
    }
    return out.sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  }

  get(id: string): SourceRecord | undefined {
    const live = this.live.get(id);
    if (live) return live;
    try {
      return JSON.parse(readFileSync(join(this.dir, id, 'source.json'), 'utf8')) as SourceRecord;
    } catch {
      return undefined;
    }
  }

  require(id: string): SourceRecord {
    const s = this.get(id);
    if (!s)
      throw new BootlabError(
        'NOT_FOUND',
        `There is no iPXE source "${id}".`,
        'Add a source on the Builder page (Git, folder or tarball) first.',
      );
    if (s.state !== 'ready')
      throw new BootlabError(
        'BAD_REQUEST',
        `The source "${s.location}" is not ready (${s.state}).`,
        s.state === 'cloning' ? 'Wait for the clone to finish.' : 'Remove it and add it again.',
      );
    return s;
  }

  private save(r: SourceRecord): void {
    mkdirSync(join(this.dir, r.id), { recursive: true });
    writeFileAtomicSync(join(this.dir, r.id, 'source.json'), JSON.stringify(r, null, 2));
    this.onChange(publicView(r));
  }

  /** Adds a source; a clone runs in the background (`wait` resolves when it is ready or failed). */
  async add(input: SourceInput): Promise<SourceRecord> {
    if (input.kind === 'local') return this.addLocal(input.path);
    if (input.kind === 'tarball') return this.importTarball(input.path);
    return this.startClone(input.url, input.ref);
  }

  private addLocal(path: string): SourceRecord {
    const abs = resolve(path);
    const srcDir = findSrcDir(abs);
    if (!srcDir)
      throw new BootlabError(
        'BAD_REQUEST',
        `${abs} is not an iPXE checkout (no src/Makefile there).`,
        'Choose the folder of an iPXE clone (the one that contains src/).',
      );
    const id = `local-${sha(abs).slice(0, 12)}`;
    const g = gitVersion(abs);
    const r: SourceRecord = {
      id,
      kind: 'local',
      location: abs,
      state: 'ready',
      version: g.version ?? makefileVersion(srcDir),
      commit: g.commit,
      addedAt: this.get(id)?.addedAt ?? new Date().toISOString(),
      srcDir,
    };
    this.save(r);
    return r;
  }

  /** Unpacks a tarball once per content (two imports of the same file give the same source). */
  async importTarball(path: string): Promise<SourceRecord> {
    const abs = resolve(path);
    if (!/\.(tar\.gz|tgz|tar\.xz|txz)$/i.test(abs))
      throw new BootlabError(
        'BAD_REQUEST',
        `${basename(abs)} is not a .tar.gz or .tar.xz file.`,
        'Choose an iPXE source tarball (.tar.gz or .tar.xz).',
      );
    if (!existsSync(abs))
      throw new BootlabError('NOT_FOUND', `${abs} does not exist.`, 'Check the path of the tarball.');
    const id = `tarball-${sha(readFileSync(abs)).slice(0, 12)}`;
    return withFileLock(join(this.dir, `${id}.lock`), async () => {
      const existing = this.get(id);
      if (existing?.state === 'ready' && existsSync(existing.srcDir)) return existing;
      const tree = join(this.dir, id, 'tree');
      const tmp = join(this.dir, id, `tree.unpack-${process.pid}`);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const r = spawnSync('tar', ['-xf', abs, '-C', tmp], { encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) {
        rmSync(tmp, { recursive: true, force: true });
        throw new BootlabError(
          'BAD_REQUEST',
          `Could not unpack ${basename(abs)}: ${(r.stderr || r.error?.message || '').trim()}`,
          'Check that the file is a complete .tar.gz/.tar.xz (download it again).',
        );
      }
      rmSync(tree, { recursive: true, force: true });
      renameSync(tmp, tree);
      const srcDir = findSrcDir(tree);
      if (!srcDir) {
        rmSync(join(this.dir, id), { recursive: true, force: true });
        throw new BootlabError(
          'BAD_REQUEST',
          `${basename(abs)} does not contain iPXE's src/ folder.`,
          'Use a tarball of the iPXE repository (git archive or a GitHub download).',
        );
      }
      const commit = await tarballCommit(abs);
      const v = makefileVersion(srcDir);
      const rec: SourceRecord = {
        id,
        kind: 'tarball',
        location: abs,
        state: 'ready',
        version: v && commit ? `${v} (g${commit.slice(0, 9)})` : v,
        commit,
        addedAt: new Date().toISOString(),
        srcDir,
        fingerprint: treeFingerprint(srcDir),
      };
      this.save(rec);
      return rec;
    });
  }

  private startClone(url: string, ref = DEFAULT_GIT_REF): SourceRecord {
    if (!GIT_URL.test(url) || url.startsWith('-'))
      throw new BootlabError(
        'BAD_REQUEST',
        `"${url}" does not look like a Git URL.`,
        `Use an address such as ${DEFAULT_GIT_URL} (https://, ssh://, git:// or a path).`,
      );
    if (!REF.test(ref))
      throw new BootlabError(
        'BAD_REQUEST',
        `"${ref}" is not a branch, tag or commit name.`,
        'Use a name such as master, v1.21.1 or a commit id.',
      );
    const id = `git-${sha(`${url}#${ref}`).slice(0, 12)}`;
    const existing = this.get(id);
    if (existing?.state === 'ready' || (existing?.state === 'cloning' && this.clones.has(id)))
      return existing;
    const tree = join(this.dir, id, 'tree');
    rmSync(join(this.dir, id), { recursive: true, force: true });
    const rec: SourceRecord = {
      id,
      kind: 'git',
      location: url,
      ref,
      state: 'cloning',
      version: null,
      commit: null,
      progress: { percent: 0, phase: 'Starting' },
      addedAt: new Date().toISOString(),
      srcDir: join(tree, 'src'),
    };
    this.live.set(id, rec);
    this.save(rec);
    const child = spawn(
      'git',
      ['-c', 'protocol.ext.allow=never', 'clone', '--progress', '--no-checkout', '--', url, tree],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      },
    );
    this.clones.set(id, child);
    let errTail = '';
    let lastEmit = 0;
    child.stderr!.on('data', (b: Buffer) => {
      const text = b.toString('utf8');
      errTail = (errTail + text).slice(-2000);
      // git prints "Receiving objects:  45% (1234/2742)" with carriage returns.
      const m = [...text.matchAll(/([A-Z][a-z]+(?: [a-z]+)*):\s+(\d+)%/g)].pop();
      if (m && Date.now() - lastEmit > 200) {
        lastEmit = Date.now();
        rec.progress = { phase: m[1]!, percent: Number(m[2]) };
        this.onChange(publicView(rec));
      }
    });
    const finish = (error?: string) => {
      this.clones.delete(id);
      this.live.delete(id);
      delete rec.progress;
      if (error) {
        rec.state = 'failed';
        rec.error = error;
      } else {
        rec.state = 'ready';
        const g = gitVersion(tree);
        rec.version = g.version;
        rec.commit = g.commit;
        rec.fingerprint = treeFingerprint(rec.srcDir);
      }
      this.save(rec);
      for (const w of this.waiters.get(id) ?? []) w(rec);
      this.waiters.delete(id);
    };
    child.on('error', (e) =>
      finish(`git could not start (${e.message}): install git ("sudo apt-get install git").`),
    );
    child.on('close', (code, signal) => {
      if (signal || rec.state === 'failed') return finish(rec.error ?? 'Cancelled.');
      if (code !== 0)
        return finish(
          `git clone failed: ${errTail
            .split(/[\r\n]+/)
            .filter(Boolean)
            .slice(-2)
            .join(' ')}`,
        );
      const co =
        git(['-C', tree, 'checkout', '--quiet', '--detach', ref]).ok ||
        git(['-C', tree, 'checkout', '--quiet', '--detach', `origin/${ref}`]).ok;
      if (!co) return finish(`The clone has no branch, tag or commit "${ref}": check the name.`);
      if (!existsSync(join(rec.srcDir, 'Makefile')))
        return finish('The repository has no src/Makefile: is it iPXE?');
      finish();
    });
    return rec;
  }

  private readonly waiters = new Map<string, ((r: SourceRecord) => void)[]>();

  /** Resolves when the source is ready or failed. */
  wait(id: string): Promise<SourceRecord> {
    const r = this.get(id);
    if (!r || r.state !== 'cloning' || !this.clones.has(id)) return Promise.resolve(r!);
    return new Promise((res) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), res]));
  }

  /** Cancels a running clone (kills git's whole process group). */
  cancelClone(id: string): boolean {
    const child = this.clones.get(id);
    const rec = this.live.get(id);
    if (!child || !rec) return false;
    rec.state = 'failed';
    rec.error = 'Cancelled.';
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    return true;
  }

  /** Removes a source record (and the clone or unpacked tarball; a local checkout is left alone). */
  remove(id: string): void {
    this.cancelClone(id);
    rmSync(join(this.dir, id), { recursive: true, force: true });
  }

  /** The cache-key part of a source: the fingerprint of its files (computed now for a local checkout). */
  fingerprint(r: SourceRecord): string {
    if (r.kind === 'local') return treeFingerprint(r.srcDir);
    if (r.fingerprint?.startsWith(FINGERPRINT_PREFIX)) return r.fingerprint;
    const rec = { ...r, fingerprint: treeFingerprint(r.srcDir) };
    this.save(rec);
    return rec.fingerprint;
  }
}

export function publicView(r: SourceRecord): SourceView {
  const { srcDir: _s, fingerprint: _f, ...view } = r;
  return view;
}
