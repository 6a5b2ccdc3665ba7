import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real iPXE builds for tests (issue 12). Builds from the shared upstream snapshot
 * (BOOTLAB_IPXE_SRC, default ../shared/ipxe/ipxe-src.tar.xz beside the clone, as CI lays it out) in a cache
 * outside the repository: os.tmpdir()/bootlab-ipxe-cache. One work tree per (overlay, BIN dir, cross
 * prefix), because a CONFIG change or a new BIN dir in a shared tree touches config/named.h and makes every
 * other BIN dir rebuild almost everything (ipxe-facts §4.2). The embedded script and DEBUG vary within a
 * tree: iPXE tracks them exactly (only embedded.o / the .dbg objects rebuild, about 2.3 s).
 * Several test files may call this at once: a lock file per work tree serialises make on it, and finished
 * outputs are copied to a per-request folder, so a later build with another script never changes a file an
 * earlier caller holds.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const IPXE_CACHE_DIR = join(tmpdir(), 'bootlab-ipxe-cache');

/** Feature switches by name → `config/local/<name>/<header>.h` defines (iPXE config/general.h, console.h). */
export const IPXE_FEATURE_DEFINES: Record<string, { header: string; define: string }> = {
  syslog: { header: 'console', define: 'CONSOLE_SYSLOG' },
  syslogs: { header: 'console', define: 'CONSOLE_SYSLOGS' },
  https: { header: 'general', define: 'DOWNLOAD_PROTO_HTTPS' },
  peerdist: { header: 'general', define: 'HTTP_ENC_PEERDIST' },
  ipv6: { header: 'general', define: 'NET_PROTO_IPV6' },
  nfs: { header: 'general', define: 'DOWNLOAD_PROTO_NFS' },
  ping: { header: 'general', define: 'PING_CMD' },
  nslookup: { header: 'general', define: 'NSLOOKUP_CMD' },
};

export interface IpxeBuildOptions {
  /** One make target, e.g. `bin-x86_64-linux/tap.linux`. */
  target?: string;
  /** Several targets (may span BIN dirs; each BIN dir builds in its own work tree). */
  targets?: string[];
  /** Feature names from IPXE_FEATURE_DEFINES (`syslog`, `peerdist`, `https`, ...). */
  features?: string[];
  /** Extra overlay defines per header: `{ general: { BANNER_TIMEOUT: '0', PING_CMD: true, NFS: false } }`. */
  defines?: Record<string, Record<string, string | boolean>>;
  /** Embedded script text (EMBED=); `#!ipxe` is added when missing. */
  embed?: string;
  /** DEBUG= value, e.g. `peermux:2` or `peermux:2,httpcore`. */
  debug?: string;
  /** Cross-compiler prefix (CROSS=), e.g. `aarch64-linux-gnu-` for bin-arm64-efi. */
  cross?: string;
  /** Named config (CONFIG=), default `bootlab`; bundled `qemu` also pulls config/qemu/. */
  config?: string;
  /** Receives make's output lines (default: quiet; the log is kept in the work tree). */
  onLog?: (line: string) => void;
}

export interface IpxeBuildResult {
  /** Absolute output paths, in the order of the requested targets. */
  paths: string[];
  /** True when every output came from the cache without running make. */
  cached: boolean;
  /** Wall time of the make runs in ms (0 on a cache hit). */
  makeMs: number;
}

/** Path of the iPXE source tarball tests build from. */
export function ipxeSourceTarball(): string {
  return process.env.BOOTLAB_IPXE_SRC
    ? resolve(process.env.BOOTLAB_IPXE_SRC)
    : resolve(REPO_ROOT, '..', 'shared', 'ipxe', 'ipxe-src.tar.xz');
}

/** Why real iPXE builds cannot run on this machine (missing tool or source), or undefined when they can. */
export function ipxeBuildUnavailableReason(
  opts: Pick<IpxeBuildOptions, 'cross' | 'target' | 'targets'> = {},
): string | undefined {
  const src = ipxeSourceTarball();
  if (!existsSync(src)) return `iPXE source tarball not found at ${src} (set BOOTLAB_IPXE_SRC)`;
  const tools: [string, string][] = [
    ['gcc', 'gcc'],
    ['make', 'make'],
    ['perl', 'perl'],
    ['xz', 'xz-utils'],
  ];
  if (opts.cross) tools.push([`${opts.cross}gcc`, 'gcc-aarch64-linux-gnu']);
  for (const [tool, pkg] of tools)
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0)
      return `${tool} is not installed (Debian package ${pkg})`;
  const targets = opts.targets ?? (opts.target ? [opts.target] : []);
  if (targets.some((t) => t.startsWith('bin/') || t.startsWith('bin-x86_64-pcbios/')))
    if (!existsSync('/usr/include/lzma.h')) return 'lzma.h is missing (Debian package liblzma-dev)';
  return undefined;
}

const SAFE_TARGET = /^bin(-[a-z0-9_]+)*\/[A-Za-z0-9_.-]+$/;
const SAFE_NAME = /^[A-Za-z0-9_]+$/;
const SAFE_DEBUG = /^[a-z0-9_]+(:[0-9]+(:[0-9]+)?)?(,[a-z0-9_]+(:[0-9]+(:[0-9]+)?)?)*$/;
const SAFE_VALUE = /^[A-Za-z0-9_ "().+-]*$/;

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const tarballHashes = new Map<string, string>();
function tarballHash(path: string): string {
  const st = statSync(path);
  const k = `${path}:${st.size}:${st.mtimeMs}`;
  let h = tarballHashes.get(k);
  if (!h) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    tarballHashes.set(k, h);
  }
  return h;
}

/** Overlay files `config/local/<config>/<header>.h` → text, for the requested features and defines. */
export function overlayFiles(opts: Pick<IpxeBuildOptions, 'features' | 'defines'>): Record<string, string> {
  const byHeader = new Map<string, Map<string, string | boolean>>();
  const put = (header: string, name: string, value: string | boolean) => {
    if (!SAFE_NAME.test(header) || !SAFE_NAME.test(name)) throw new Error(`unsafe define ${header}/${name}`);
    if (typeof value === 'string' && !SAFE_VALUE.test(value)) throw new Error(`unsafe value for ${name}`);
    if (!byHeader.has(header)) byHeader.set(header, new Map());
    byHeader.get(header)!.set(name, value);
  };
  for (const f of opts.features ?? []) {
    const d = IPXE_FEATURE_DEFINES[f];
    if (!d)
      throw new Error(`unknown iPXE feature "${f}" (known: ${Object.keys(IPXE_FEATURE_DEFINES).join(', ')})`);
    put(d.header, d.define, true);
  }
  for (const [header, defs] of Object.entries(opts.defines ?? {}))
    for (const [name, value] of Object.entries(defs)) put(header, name, value);
  const out: Record<string, string> = {};
  for (const header of [...byHeader.keys()].sort()) {
    const lines = ['/* Written by Bootlab test helper */'];
    for (const [name, value] of [...byHeader.get(header)!.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (value === false) lines.push(`#undef ${name}`);
      else if (value === true) lines.push(`#undef ${name}`, `#define ${name}`);
      else lines.push(`#undef ${name}`, `#define ${name} ${value}`);
    }
    out[`${header}.h`] = lines.join('\n') + '\n';
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Exclusive lock across processes: a file created with O_EXCL holding the owner's pid; stale locks taken over. */
async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(lockPath, 'utf8'));
      } catch {
        continue;
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for build lock ${lockPath}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function writeIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
}

function runMake(cwd: string, args: string[], logPath: string, onLog?: (l: string) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('make', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let pending = '';
    const onData = (b: Buffer) => {
      chunks.push(b);
      if (!onLog) return;
      pending += b.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) onLog(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const log = Buffer.concat(chunks).toString('utf8');
      writeFileSync(logPath, `$ make ${args.join(' ')}\n${log}`);
      if (code === 0) resolveRun();
      else
        reject(
          new Error(
            `make ${args.join(' ')} in ${cwd} failed (${signal ?? `exit ${code}`}); log ${logPath}:\n` +
              log.split('\n').slice(-30).join('\n'),
          ),
        );
    });
  });
}

function binDirOf(target: string): string {
  return target.slice(0, target.indexOf('/'));
}

/** Unpacks the tarball into `dir` once (atomically: into a temp folder, then renamed). */
function ensureTree(tarball: string, dir: string): string {
  const src = join(dir, 'ipxe', 'src');
  if (existsSync(join(src, 'Makefile'))) return src;
  const tmp = `${dir}.unpack-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const r = spawnSync('tar', ['-xJf', tarball, '-C', tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unpacking ${tarball} failed: ${r.stderr || r.error?.message}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return src;
}

/**
 * Builds the targets (or returns them from the cache) and returns their absolute paths, in order.
 * Example: `await buildIpxe({ target: 'bin-x86_64-linux/tap.linux', features: ['syslog', 'peerdist'] })`.
 */
export async function buildIpxe(opts: IpxeBuildOptions): Promise<string[]> {
  return (await buildIpxeDetailed(opts)).paths;
}

export async function buildIpxeDetailed(opts: IpxeBuildOptions): Promise<IpxeBuildResult> {
  const targets = opts.targets ?? (opts.target ? [opts.target] : []);
  if (targets.length === 0) throw new Error('buildIpxe: give target or targets');
  for (const t of targets) if (!SAFE_TARGET.test(t)) throw new Error(`buildIpxe: unsafe target "${t}"`);
  if (opts.debug && !SAFE_DEBUG.test(opts.debug)) throw new Error(`buildIpxe: unsafe DEBUG "${opts.debug}"`);
  if (opts.cross && !/^[A-Za-z0-9_.-]+-$/.test(opts.cross))
    throw new Error(`buildIpxe: unsafe CROSS "${opts.cross}"`);
  const config = opts.config ?? 'bootlab';
  if (!SAFE_NAME.test(config)) throw new Error(`buildIpxe: unsafe CONFIG "${config}"`);
  const overlay = overlayFiles(opts);
  const embed =
    opts.embed === undefined ? undefined : /^#!ipxe/.test(opts.embed) ? opts.embed : `#!ipxe\n${opts.embed}`;
  const tarball = ipxeSourceTarball();
  const srcHash = tarballHash(tarball);

  const paths: string[] = [];
  let cached = true;
  let makeMs = 0;
  const byBin = new Map<string, string[]>();
  for (const t of targets) byBin.set(binDirOf(t), [...(byBin.get(binDirOf(t)) ?? []), t]);
  const resultByTarget = new Map<string, string>();

  for (const [bin, binTargets] of byBin) {
    const treeKey = sha(JSON.stringify({ srcHash, bin, config, overlay, cross: opts.cross ?? '' })).slice(
      0,
      16,
    );
    const outKey = sha(JSON.stringify({ treeKey, embed: embed ?? null, debug: opts.debug ?? '' })).slice(
      0,
      16,
    );
    const treeDir = join(IPXE_CACHE_DIR, 'trees', treeKey);
    const outDir = join(IPXE_CACHE_DIR, 'out', outKey);
    const missing = () => binTargets.filter((t) => !existsSync(join(outDir, t)));
    if (missing().length > 0) {
      mkdirSync(join(IPXE_CACHE_DIR, 'trees'), { recursive: true });
      await withLock(`${treeDir}.lock`, async () => {
        const todo = missing();
        if (todo.length === 0) return;
        cached = false;
        const src = ensureTree(tarball, treeDir);
        const localDir = join(src, 'config', 'local', config);
        mkdirSync(localDir, { recursive: true });
        for (const [name, text] of Object.entries(overlay)) writeIfChanged(join(localDir, name), text);
        const args = ['-j2', ...todo, `CONFIG=${config}`];
        if (embed !== undefined) {
          writeIfChanged(join(src, 'bootlab-embed.ipxe'), embed);
          args.push('EMBED=bootlab-embed.ipxe');
        }
        if (opts.debug) args.push(`DEBUG=${opts.debug}`);
        if (opts.cross) args.push(`CROSS=${opts.cross}`);
        const t0 = Date.now();
        await runMake(src, args, join(treeDir, 'last-build.log'), opts.onLog);
        makeMs += Date.now() - t0;
        for (const t of todo) {
          const dest = join(outDir, t);
          mkdirSync(dirname(dest), { recursive: true });
          copyFileSync(join(src, t), `${dest}.tmp`);
          renameSync(`${dest}.tmp`, dest);
        }
      });
    }
    for (const t of binTargets) resultByTarget.set(t, join(outDir, t));
  }
  for (const t of targets) paths.push(resultByTarget.get(t)!);
  return { paths, cached, makeMs };
}
