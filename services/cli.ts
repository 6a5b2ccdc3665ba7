import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asBootlabError } from './shared/errors.js';
import { defaultDataDir } from './core/paths.js';
import { keepYoungGenerationSmall } from './core/heap-tuning.js';
import { HELP, parseCli } from './cli-args.js';
import { Host } from './host.js';
import { installQuickBoot, validateQuickBoot } from './quick-boot.js';
import { runBuildCommand } from './builder/cli-build.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The project root: services/ when run through tsx, dist/services/ when built. */
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Runs the `bootlab` command line; returns the exit code for help/version/errors, or never for serve. */
export async function main(argv: string[]): Promise<number> {
  // `bootlab build`: the image builder without the services (services/builder/cli-build.ts).
  if (argv[0] === 'build') return runBuildCommand(argv.slice(1));
  let cli;
  try {
    cli = parseCli(argv);
    if (cli.quickBoot) validateQuickBoot(cli.quickBoot);
  } catch (err) {
    process.stderr.write(`bootlab: ${asBootlabError(err).toLine()}\n`);
    return 2;
  }
  if (cli.command === 'help') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (cli.command === 'version') {
    process.stdout.write(`bootlab ${version()}\n`);
    return 0;
  }

  let host: Host;
  let requestShutdown: () => void = () => {};
  keepYoungGenerationSmall(); // peak memory of the host (services/core/heap-tuning.ts)
  try {
    const quick = cli.quickBoot;
    host = new Host({
      dataDir: cli.dataDir ?? defaultDataDir(),
      configPath: cli.configPath,
      uiDir: cli.uiDir ?? join(root, 'dist', 'renderer'),
      uiPort: cli.uiPort,
      profilePatch: cli.profilePatch,
      startServices: cli.startServices,
      version: version(),
      quiet: cli.quiet,
      prepare: quick ? (h) => installQuickBoot(h.runtime, quick) : undefined,
      onShutdownRequest: () => requestShutdown(),
    });
    const { url, failed } = await host.start();
    for (const name of failed) {
      const state = host.supervisor.state(name);
      process.stderr.write(
        `bootlab: ${name} failed: ${state.error?.message ?? ''} ${state.error?.hint ?? ''}\n`,
      );
    }
    process.stdout.write(`Bootlab ready: ${url}\n`);
  } catch (err) {
    process.stderr.write(`bootlab: ${asBootlabError(err).toLine()}\n`);
    return 1;
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = (): void => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      host.stop().finally(resolve);
    };
    requestShutdown = shutdown;
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
