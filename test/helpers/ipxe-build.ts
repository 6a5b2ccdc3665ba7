import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder } from '../../services/builder/builder.js';
import { FEATURE_IDS, LOG_LEVELS, type FeatureId, type LogLevel } from '../../services/builder/catalogue.js';
import type { BuildRequestInput } from '../../services/builder/request.js';

/**
 * Real iPXE builds for tests (issue 12), made by Bootlab's own builder (services/builder) from the shared
 * upstream snapshot (BOOTLAB_IPXE_SRC, default ../shared/ipxe/ipxe-src.tar.xz beside the clone, as CI lays
 * it out), imported through the tarball path. The builder's data dir is a cache outside the repository,
 * os.tmpdir()/bootlab-ipxe-cache, shared by every test file: one work tree per configuration (overlay, BIN
 * dir, cross prefix), outputs stored per request, and a lock file per work tree, so several test files may
 * call this at once and each configuration is compiled once; a second identical call is a cache hit.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const IPXE_CACHE_DIR = join(tmpdir(), 'bootlab-ipxe-cache');

export interface IpxeBuildOptions {
  /** One make target, e.g. `bin-x86_64-linux/tap.linux` (from services/builder/catalogue.ts). */
  target?: string;
  /** Several targets (may span BIN dirs; each BIN dir builds in its own work tree). */
  targets?: string[];
  /** Feature names: syslog, https, peerdist, ipv6, nfs, ping, nslookup. */
  features?: string[];
  /** Overlay defines the builder offers: `{ general: { BANNER_TIMEOUT: '0' }, console: { LOG_LEVEL: 'LOG_ALL' } }`. */
  defines?: Record<string, Record<string, string | boolean>>;
  /** Embedded script text (EMBED=); `#!ipxe` is added when missing. Without it: no embedded script. */
  embed?: string;
  /** DEBUG= value, e.g. `peermux:2` or `peermux:2,httpcore`. */
  debug?: string;
  /** Cross-compiler prefix (CROSS=); by default the builder picks aarch64-linux-gnu- for bin-arm64-efi. */
  cross?: string;
  /** A bundled named config (`qemu`); default: Bootlab's own overlay. */
  config?: string;
  /** Receives make's output as it comes. */
  onLog?: (chunk: string) => void;
}

export interface IpxeBuildResult {
  /** Absolute output paths, in the order of the requested targets. */
  paths: string[];
  /** True when every output came from the cache without running make. */
  cached: boolean;
  /** Wall time of the build job in ms (0 on a cache hit). */
  makeMs: number;
  /** The artifacts' sha256, in target order. */
  sha256: string[];
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
  const targets = opts.targets ?? (opts.target ? [opts.target] : []);
  const cross = opts.cross ?? (targets.some((t) => t.startsWith('bin-arm64')) ? 'aarch64-linux-gnu-' : '');
  if (cross) tools.push([`${cross}gcc`, 'gcc-aarch64-linux-gnu']);
  for (const [tool, pkg] of tools)
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0)
      return `${tool} is not installed (Debian package ${pkg})`;
  if (targets.some((t) => t.startsWith('bin/')) && !existsSync('/usr/include/lzma.h'))
    return 'lzma.h is missing (Debian package liblzma-dev)';
  return undefined;
}

let shared: { builder: Builder; sourceId: Promise<string> } | undefined;

/** The builder on the shared cache dir, with the snapshot imported (once per process). */
export function testBuilder(): { builder: Builder; sourceId: Promise<string> } {
  if (!shared) {
    const builder = new Builder({ dataDir: IPXE_CACHE_DIR, jobs: 2 });
    const sourceId = builder.sources.importTarball(ipxeSourceTarball()).then((s) => s.id);
    shared = { builder, sourceId };
  }
  return shared;
}

const LOG_MACRO = /^LOG_([A-Z]+)$/;

/** Maps the helper's options to a build request (only what the builder's request schema offers). */
export function toBuildRequest(opts: IpxeBuildOptions, sourceId: string): BuildRequestInput {
  const targets = opts.targets ?? (opts.target ? [opts.target] : []);
  if (targets.length === 0) throw new Error('buildIpxe: give target or targets');
  const features = (opts.features ?? []).map((f) => {
    if (!(FEATURE_IDS as readonly string[]).includes(f))
      throw new Error(`buildIpxe: unknown feature "${f}" (known: ${FEATURE_IDS.join(', ')})`);
    return f as FeatureId;
  });
  let bannerTimeout: number | undefined;
  let logLevel: LogLevel | undefined;
  for (const [header, defs] of Object.entries(opts.defines ?? {}))
    for (const [name, value] of Object.entries(defs)) {
      if (header === 'general' && name === 'BANNER_TIMEOUT') bannerTimeout = Number(value);
      else if (header === 'console' && name === 'LOG_LEVEL' && typeof value === 'string') {
        const level = LOG_MACRO.exec(value)?.[1]?.toLowerCase();
        if (!level || !(LOG_LEVELS as readonly string[]).includes(level))
          throw new Error(
            `buildIpxe: LOG_LEVEL must be one of ${LOG_LEVELS.map((l) => `LOG_${l.toUpperCase()}`).join(', ')}`,
          );
        logLevel = level as LogLevel;
      } else if (header === 'general' && value === true && features.length >= 0) {
        const f = {
          HTTP_ENC_PEERDIST: 'peerdist',
          DOWNLOAD_PROTO_HTTPS: 'https',
          PING_CMD: 'ping',
          NSLOOKUP_CMD: 'nslookup',
          NET_PROTO_IPV6: 'ipv6',
          DOWNLOAD_PROTO_NFS: 'nfs',
        }[name];
        if (!f) throw new Error(`buildIpxe: the builder does not offer ${header}.h ${name}`);
        features.push(f as FeatureId);
      } else if (header === 'console' && name === 'CONSOLE_SYSLOG' && value === true) features.push('syslog');
      else throw new Error(`buildIpxe: the builder does not offer ${header}.h ${name}`);
    }
  const embed =
    opts.embed === undefined ? undefined : /^#!ipxe/.test(opts.embed) ? opts.embed : `#!ipxe\n${opts.embed}`;
  return {
    sourceId,
    targets,
    features: [...new Set(features)],
    bannerTimeout,
    logLevel,
    debug: opts.debug,
    cross: opts.cross,
    namedConfig: opts.config && opts.config !== 'bootlab' ? (opts.config as 'qemu') : undefined,
    script: embed === undefined ? { kind: 'none' } : { kind: 'custom', text: embed },
  };
}

/**
 * Builds the targets (or returns them from the cache) and returns their absolute paths, in order.
 * Example: `await buildIpxe({ target: 'bin-x86_64-linux/tap.linux', features: ['syslog', 'peerdist'] })`.
 */
export async function buildIpxe(opts: IpxeBuildOptions): Promise<string[]> {
  return (await buildIpxeDetailed(opts)).paths;
}

export async function buildIpxeDetailed(opts: IpxeBuildOptions): Promise<IpxeBuildResult> {
  const { builder, sourceId } = testBuilder();
  const request = toBuildRequest(opts, await sourceId);
  const job = builder.submit(request);
  const unsubscribe = opts.onLog ? watchOutput(builder, job.id, opts.onLog) : () => {};
  const done = await builder.wait(job.id).finally(unsubscribe);
  if (done.state !== 'succeeded')
    throw new Error(
      `iPXE build ${done.state}: ${done.error ?? ''}\n${builder.log(job.id).split('\n').slice(-40).join('\n')}`,
    );
  const byTarget = new Map(
    done.artifactIds.map((id) => builder.artifacts.get(id)!).map((a) => [a.target, a] as const),
  );
  const targets = request.targets;
  return {
    paths: targets.map((t) => byTarget.get(t)!.path),
    sha256: targets.map((t) => byTarget.get(t)!.sha256),
    cached: done.cached,
    makeMs: done.cached ? 0 : done.elapsedMs,
  };
}

/** Streams a job's log to `onLog` by polling the ring buffer (the helper has no event bus). */
function watchOutput(builder: Builder, id: string, onLog: (chunk: string) => void): () => void {
  let sent = 0;
  const tick = () => {
    const text = builder.log(id);
    if (text.length > sent) onLog(text.slice(sent));
    sent = text.length;
  };
  const timer = setInterval(tick, 500);
  return () => {
    clearInterval(timer);
    tick();
  };
}
