import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { delimiter, join } from 'node:path';
import type { LaunchCommand } from './elevation.js';
import { ReadyLineWatcher, type ReadyInfo } from './ready-line.js';
import { TOKEN_HEADER } from './control-client.js';

/**
 * Starts the services host (`bootlab serve`, plain Node) and waits for its ready line. Electron's main
 * process stays unprivileged; only this child may run elevated.
 */

export interface HostCommandInput {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** Electron's own binary (process.execPath). */
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** Finds a program on PATH (injected for tests). */
  which(name: string): string | undefined;
}

/**
 * Which Node runs the host. A packaged app runs Electron's binary as Node (ELECTRON_RUN_AS_NODE=1), with
 * native modules rebuilt for it. From a source checkout the native modules (better-sqlite3, node-pty) are
 * built for the system Node, so that one is used. BOOTLAB_NODE overrides both.
 */
export function hostCommand(input: HostCommandInput): { command: string; env: Record<string, string> } {
  const override = input.env.BOOTLAB_NODE;
  if (override) return { command: override, env: {} };
  if (!input.isPackaged) {
    const node = input.which(input.platform === 'win32' ? 'node.exe' : 'node');
    if (node) return { command: node, env: {} };
  }
  return { command: input.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/**
 * Where dist/services lives. A package keeps the host outside the asar archive (electron-builder.json
 * asarUnpack: the host may run elevated or as plain Node, reads its files with ordinary fs calls, and loads
 * native modules), so it runs from resources/app.asar.unpacked beside resources/app.asar.
 */
export function hostScriptRoot(appPath: string, isPackaged: boolean): string {
  return isPackaged ? appPath.replace(/\.asar$/, '.asar.unpacked') : appPath;
}

/**
 * `bootlab serve` with the user's data folder. No --ui-port: the host takes its fixed default port (a free
 * one when that is taken) and keeps the token in the data folder, so the address a browser bookmarked is
 * the one this window opens too; the window still takes URL and token from the host's ready line.
 */
export function hostArgs(appRoot: string, dataDir: string, extra: readonly string[] = []): string[] {
  return [join(appRoot, 'dist', 'services', 'cli.js'), 'serve', '--data-dir', dataDir, ...extra];
}

/** A small `which` over PATH; `exists` is injected for tests. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

export interface LaunchDeps {
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
  /** Reads the output file of an elevated host that cannot pipe its stdout (macOS, Windows). */
  readFile(path: string): string | undefined;
  fetch(url: string, init: { method: string; headers: Record<string, string> }): Promise<unknown>;
}

export interface HostHandle {
  ready: ReadyInfo;
  child: ChildProcess;
  /** Asks the host to stop (API, then stdin, then signals); resolves when it is gone or after a timeout. */
  stop(): Promise<void>;
}

export class HostStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Spawns the host and resolves with its ready line; rejects with what it printed if it exits first. */
export function launchHost(
  cmd: LaunchCommand,
  env: NodeJS.ProcessEnv,
  deps: LaunchDeps,
  timeoutMs = 60_000,
): Promise<HostHandle> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    const child = deps.spawn(cmd.command, cmd.args, {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const finish = (err: Error | undefined, ready?: ReadyInfo) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve({ ready: ready!, child, stop: () => stopHost(child, ready!, deps) });
    };
    const watcher = new ReadyLineWatcher((info) => finish(undefined, info));
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => watcher.push(chunk));
    child.stderr?.on('data', (chunk: string) => watcher.push(chunk));
    child.on('error', (err) =>
      finish(
        new HostStartError(
          `Bootlab could not start its services host (${cmd.command}): ${err.message}.`,
          watcher.recentOutput(),
        ),
      ),
    );
    if (cmd.outputFile) {
      // The elevating helper returns at once (or fails when the prompt is refused); the host's output
      // lands in the file.
      child.on('exit', (code) => {
        if (code !== 0) finish(new HostStartError(explainExit(code, null, 'helper'), watcher.recentOutput()));
      });
      const file = cmd.outputFile;
      let seen = 0;
      poll = setInterval(() => {
        const text = deps.readFile(file);
        if (text === undefined || text.length <= seen) return;
        watcher.push(text.slice(seen));
        seen = text.length;
      }, 200);
    } else {
      child.on('exit', (code, signal) =>
        finish(
          new HostStartError(
            explainExit(code, signal, cmd.command === 'pkexec' ? 'pkexec' : 'plain'),
            watcher.recentOutput(),
          ),
        ),
      );
    }
    const timer = setTimeout(
      () =>
        finish(
          new HostStartError('Bootlab’s services host did not become ready in time.', watcher.recentOutput()),
        ),
      timeoutMs,
    );
  });
}

/** Why the host (or the elevation helper in front of it) ended before the ready line. */
export function explainExit(
  code: number | null,
  signal: NodeJS.Signals | null,
  via: 'plain' | 'pkexec' | 'helper',
): string {
  // pkexec(1): 126 = the prompt was dismissed or not authorized, 127 = authentication failed.
  // osascript / Start-Process -Verb RunAs: any failure of the helper means the prompt was refused.
  if ((via === 'pkexec' && (code === 126 || code === 127)) || (via === 'helper' && code !== 0)) {
    return 'Administrator rights were not granted (the password prompt was cancelled or refused).';
  }
  return `Bootlab’s services host stopped before it was ready (${signal ?? `exit code ${code}`}).`;
}

/**
 * An elevated host cannot be signalled by us (it runs as another user), so the first request is the API's
 * shutdown route with the token; closing its stdin and SIGTERM cover an unelevated host.
 */
async function stopHost(child: ChildProcess, ready: ReadyInfo, deps: LaunchDeps): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  try {
    await deps.fetch(`${ready.origin}/api/shutdown`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: ready.token },
    });
  } catch {
    // Already gone, or a host without that route: signals below.
  }
  child.stdin?.end();
  try {
    child.kill('SIGTERM');
  } catch {
    /* not ours to signal (elevated) */
  }
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([exited, timeout]);
  if (child.exitCode === null && child.signalCode === null) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* ignore */
    }
  }
}
