import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Network namespaces for tests: each test builds its own small network (hosts joined by veth pairs or a
 * bridge) and never touches the host's own interfaces or addresses. Everything created is deleted by
 * destroy(); names carry a random suffix so parallel test files never collide.
 */

/** Why namespace tests cannot run here, or undefined when they can (root and `ip netns` available). */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces (CI runs as root)';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    return `"ip netns" is not available: ${probe.error?.message ?? probe.stderr}`;
  return undefined;
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`.slice(0, 14);
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export class Netns {
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly name: string) {}

  static create(prefix = 'bl'): Netns {
    const ns = new Netns(uniqueName(prefix));
    ip(['netns', 'add', ns.name]);
    ns.run('ip', ['link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Runs a command inside the namespace and returns its stdout; throws with stderr on failure. */
  run(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): string {
    const r = spawnSync('ip', ['netns', 'exec', this.name, cmd, ...args], {
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 30_000,
      input: opts.input,
    });
    if (r.error) throw r.error;
    if (r.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} (in ${this.name}) exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  /** Like run() but never throws: returns status, stdout and stderr. */
  tryRun(
    cmd: string,
    args: string[],
    timeoutMs = 30_000,
  ): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.name, cmd, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Starts a long-running process inside the namespace; destroy() kills it. */
  spawn(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], { stdio: 'pipe', ...opts });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
    try {
      ip(['netns', 'del', this.name]);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Joins two namespaces with a veth pair. Addresses are CIDR strings (e.g. "10.77.0.1/24") or null for an
 * interface with no address (a DHCP client's). Returns the interface names inside each namespace.
 */
export function connect(
  a: Netns,
  aAddr: string | null,
  b: Netns,
  bAddr: string | null,
  names: { a?: string; b?: string } = {},
): { aIf: string; bIf: string } {
  const tmpA = uniqueName('va');
  const tmpB = uniqueName('vb');
  const aIf = names.a ?? 'eth0';
  const bIf = names.b ?? 'eth0';
  ip(['link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB]);
  ip(['link', 'set', tmpA, 'netns', a.name]);
  ip(['link', 'set', tmpB, 'netns', b.name]);
  a.run('ip', ['link', 'set', tmpA, 'name', aIf]);
  b.run('ip', ['link', 'set', tmpB, 'name', bIf]);
  if (aAddr) a.run('ip', ['addr', 'add', aAddr, 'dev', aIf]);
  if (bAddr) b.run('ip', ['addr', 'add', bAddr, 'dev', bIf]);
  a.run('ip', ['link', 'set', aIf, 'up']);
  b.run('ip', ['link', 'set', bIf, 'up']);
  return { aIf, bIf };
}

/** Waits until a predicate holds, polling; throws with the label after the timeout. */
export async function waitFor<T>(
  label: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
