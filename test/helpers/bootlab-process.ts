import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { EVENTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../services/shared/api-protocol.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../services/cli.ts', import.meta.url));

export interface RunningBootlab {
  child: ChildProcess;
  url: string;
  base: string;
  token: string;
  stderr: () => string;
  stop: () => Promise<void>;
}

/**
 * `bootlab serve` arguments for a test on loopback (API and page tests): the given data dir, interface lo, DHCP off (no DHCP
 * server ever runs on the host's own interfaces), `services` (omitted: Bootlab's own choice), a free port for
 * each of `freePorts` (HTTP by default), `extra`, and the UI on a port of the system's choosing, quiet.
 */
export async function loopbackServeArgs(
  dataDir: string,
  opts: { services?: string; freePorts?: ('http' | 'tftp' | 'syslog')[]; extra?: string[] } = {},
): Promise<string[]> {
  const args = ['serve', '--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off'];
  if (opts.services !== undefined) args.push('--services', opts.services);
  for (const service of opts.freePorts ?? ['http']) {
    args.push(`--${service}-port`, String(await freePort(service === 'http' ? 'tcp' : 'udp')));
  }
  return [...args, ...(opts.extra ?? []), '--ui-port', '0', '--quiet'];
}

/**
 * Starts `bootlab <args>` from source (node --import tsx services/cli.ts) and waits for its ready line.
 * `wrap` runs it under another command (e.g. ["ip","netns","exec","ns1"] or ["runuser","-u","nobody","--"]).
 */
export function startBootlab(
  args: string[],
  opts: { wrap?: string[]; timeoutMs?: number; spawn?: SpawnOptions } = {},
): Promise<RunningBootlab> {
  const wrap = opts.wrap ?? [];
  const cmd = [...wrap, process.execPath, '--import', 'tsx', cliPath, ...args];
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts.spawn,
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bootlab did not print its ready line in time.\nstdout: ${out}\nstderr: ${err}`));
    }, opts.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bootlab exited (${code}) before it was ready.\nstdout: ${out}\nstderr: ${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Bootlab ready: (http:\/\/[^\s#]+)\/#token=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          child,
          url: `${m[1]}/#token=${m[2]}`,
          base: m[1]!,
          token: m[2]!,
          stderr: () => err,
          stop: () =>
            new Promise((res) => {
              if (child.exitCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    });
  });
}

/** Runs the CLI to completion (for --help, validation errors, privilege errors). */
export function runBootlab(
  args: string[],
  opts: { wrap?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const wrap = opts.wrap ?? [];
  const cmd = [...wrap, process.execPath, '--import', 'tsx', cliPath, ...args];
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The event WebSocket's subprotocol offer carrying the token (services/api/contract.ts EVENTS_PROTOCOL). */
export function eventProtocols(token: string): string[] {
  return [EVENTS_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The live event feed's WebSocket URL for a running Bootlab (no token: it travels as a subprotocol). */
export function eventsUrl(app: Pick<RunningBootlab, 'base'>): string {
  return `${app.base.replace(/^http/, 'ws')}/api/events`;
}
