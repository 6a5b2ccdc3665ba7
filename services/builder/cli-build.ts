import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/paths.js';
import { asBootlabError, BootlabError } from '../shared/errors.js';
import { Builder } from './builder.js';
import { FEATURE_IDS, TARGET_IDS } from './catalogue.js';
import type { BuildRequestInput } from './request.js';
import { parseSourceArg } from './sources.js';

/**
 * `bootlab build`: the Builder page from the command line, with the same validation and cache. Prints
 * make's log as it runs and, as the last line(s), the absolute path of each image; a cache hit prints the
 * same paths without running make. Exit 0 built or cached, 1 the build failed, 2 the command was wrong.
 */

export const BUILD_HELP = `Usage: bootlab build --source DIR|TARBALL|GIT-URL[#REF] --target TARGET [options]

  --source S         iPXE source: a checkout folder, a .tar.gz/.tar.xz, or a Git URL (#branch, #tag or #commit)
  --target T         make target, repeat or comma-separate (${TARGET_IDS.slice(0, 3).join(', ')}, …)
  --feature LIST     ${FEATURE_IDS.join(',')}
  --embed FILE       embed this iPXE script (default: Bootlab's script: DHCP, then Bootlab's boot script)
  --no-embed         no embedded script (plain autoboot)
  --banner-timeout N tenths of a second iPXE waits for Ctrl-B (0: none)
  --debug LIST       iPXE DEBUG=, e.g. peermux:2
  --http-port N      Bootlab's HTTP port the generated script asks (default: the profile's)
  --data-dir DIR     where sources, work trees and images live (default: per-OS app data)
  --jobs N           make -jN (default 2)`;

const OPTIONS = {
  source: { type: 'string' },
  target: { type: 'string', multiple: true },
  feature: { type: 'string', multiple: true },
  embed: { type: 'string' },
  'no-embed': { type: 'boolean' },
  'banner-timeout': { type: 'string' },
  debug: { type: 'string' },
  'http-port': { type: 'string' },
  'data-dir': { type: 'string' },
  jobs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(message: string): BootlabError {
  return new BootlabError('BAD_REQUEST', message, 'Run "bootlab build --help" for the options.');
}

function list(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The HTTP port of the data dir's active profile (the generated script asks it), or 80. */
function profileHttpPort(dataDir: string): number {
  try {
    const cfg = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as {
      activeProfile?: string;
      profiles?: Record<string, { http?: { port?: number } }>;
    };
    return cfg.profiles?.[cfg.activeProfile ?? 'default']?.http?.port ?? 80;
  } catch {
    return 80;
  }
}

export async function runBuildCommand(
  argv: string[],
  out: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let builder: Builder;
  let request: BuildRequestInput;
  let sourceArg: string;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
    } catch (err) {
      throw usage((err as Error).message.replace(/\. To specify.*$/s, '.'));
    }
    const v = parsed.values;
    if (v.help) {
      out.stdout(BUILD_HELP + '\n');
      return 0;
    }
    if (!v.source) throw usage('Say which iPXE source to build: --source DIR, TARBALL or GIT-URL[#REF].');
    const targets = list(v.target);
    if (targets.length === 0)
      throw usage('Say what to build: --target bin/undionly.kpxe (or another target).');
    if (v.embed && v['no-embed']) throw usage('Use either --embed FILE or --no-embed.');
    if (v.embed && !existsSync(v.embed)) throw usage(`The script ${v.embed} does not exist.`);
    const dataDir = resolve(v['data-dir'] ?? defaultDataDir());
    const httpPort = v['http-port'] !== undefined ? Number(v['http-port']) : profileHttpPort(dataDir);
    if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65535)
      throw usage(`--http-port must be a port number, not "${v['http-port']}".`);
    const jobs = v.jobs !== undefined ? Number(v.jobs) : 2;
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
      throw usage('--jobs must be a number from 1 to 64.');
    sourceArg = v.source;
    builder = new Builder({
      dataDir,
      jobs,
      httpPort: () => httpPort,
      makeCommand: process.env.BOOTLAB_MAKE || 'make',
      events: { output: (_id, data) => out.stdout(data) },
    });
    request = {
      sourceId: 'pending',
      targets,
      features: list(v.feature) as BuildRequestInput['features'],
      bannerTimeout: v['banner-timeout'] !== undefined ? Number(v['banner-timeout']) : undefined,
      debug: v.debug,
      script: v['no-embed']
        ? { kind: 'none' }
        : v.embed
          ? { kind: 'custom', text: readFileSync(v.embed, 'utf8') }
          : { kind: 'generated' },
    };
  } catch (err) {
    out.stderr(`bootlab: ${asBootlabError(err).toLine()}\n`);
    return 2;
  }
  try {
    let source = await builder.sources.add(parseSourceArg(sourceArg));
    if (source.state === 'cloning') {
      out.stderr(`Cloning ${source.location} (${source.ref})…\n`);
      source = await builder.sources.wait(source.id);
    }
    if (source.state !== 'ready')
      throw new BootlabError(
        'BAD_REQUEST',
        source.error ?? 'The source is not ready.',
        'Check the URL and the branch, tag or commit.',
      );
    out.stderr(`iPXE source: ${source.location} ${source.version ?? ''}\n`);
    let job;
    try {
      job = builder.submit({ ...request, sourceId: source.id });
    } catch (err) {
      out.stderr(`bootlab: ${asBootlabError(err).toLine()}\n`);
      return 2;
    }
    const stop = () => builder.cancel(job.id);
    process.once('SIGINT', stop);
    const done = await builder.wait(job.id);
    process.off('SIGINT', stop);
    if (done.cached) out.stderr('Served from the cache: make did not run.\n');
    if (done.state !== 'succeeded') {
      out.stderr(`bootlab: build ${done.state}: ${done.error ?? ''}\n`);
      return 1;
    }
    const byId = new Map(done.artifactIds.map((id) => [id, builder.artifacts.get(id)!] as const));
    const paths = [...byId.values()].sort(
      (a, b) => request.targets.indexOf(a.target) - request.targets.indexOf(b.target),
    );
    for (const a of paths) out.stdout(`${a.path}\n`);
    return 0;
  } catch (err) {
    out.stderr(`bootlab: ${asBootlabError(err).toLine()}\n`);
    return 1;
  }
}
