// Shared pieces of the benchmarks: the output folder (profiles, raw rounds), medians with min–max, the CPU
// time and memory of a server process read from /proc (figures that hold better than wall-clock throughput
// on a busy machine: a server's CPU seconds per GiB do not depend on who else had the cores).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** os.tmpdir()/bootlab-bench/<date>/: CPU profiles and raw rounds; never inside the repository. */
export function benchOutDir(): string {
  const stamp = (process.env.BOOTLAB_BENCH_STAMP ??= new Date().toISOString().replace(/[:.]/g, '-'));
  const dir = join(tmpdir(), 'bootlab-bench', stamp);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** "123 (110–130)" with the given number of decimals. */
export function fmtSpread(s: Spread, digits = 1): string {
  if (s.n === 0) return 'fail';
  const f = (x: number): string => x.toFixed(digits);
  return s.n === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/**
 * Ratio of two measured series taken round by round (a[i] / b[i], same round = same machine state):
 * median and min–max of the per-round ratios. Rounds where either side failed are left out.
 */
export function ratioSpread(a: (number | null)[], b: (number | null)[]): Spread {
  const r: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x != null && y != null && y > 0) r.push(x / y);
  }
  return spread(r);
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/**
 * CPU time (ms) a process used so far: its own user+system time plus that of children it has reaped
 * (tftpd-hpa forks one child per transfer; dnsmasq and Node do the work in-process).
 */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state is f[0]; utime=f[11], stime=f[12], cutime=f[13], cstime=f[14]
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
  } catch {
    return NaN;
  }
}

function statusKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Resident memory (MiB) of a process plus its direct children right now. */
export function treeRssMiB(pid: number): number {
  return [pid, ...childPids(pid)].reduce((n, p) => n + statusKb(p, 'VmRSS'), 0) / 1024;
}

/** Resident memory (MiB) of one process, without its children. */
export function processRssMiB(pid: number): number {
  return statusKb(pid, 'VmRSS') / 1024;
}

/** Peak resident memory (VmHWM, MiB) of one process. */
export function peakRssMiB(pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024;
}

/**
 * Samples resident memory every `everyMs` until stopped; returns the highest value seen. With children
 * (nginx's master + worker) by default; `withChildren: false` for a process that only runs short helpers
 * (the host's `ip` calls): between fork and exec such a child shows the parent's pages as its own, which
 * counted the host twice in one sample (a "peak" of 134 MiB while the host's own VmHWM was 101).
 */
export function rssSampler(
  pid: number,
  everyMs = 50,
  opts: { withChildren?: boolean } = {},
): { stop(): number } {
  const sample = (): number => (opts.withChildren === false ? processRssMiB(pid) : treeRssMiB(pid));
  let peak = sample();
  const t = setInterval(() => (peak = Math.max(peak, sample())), everyMs);
  return {
    stop(): number {
      clearInterval(t);
      return Math.max(peak, sample());
    },
  };
}

/** Orders servers for round r: forward on even rounds, backward on odd ones (load drift hits all alike). */
export function alternate<T>(items: T[], round: number): T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}

const CPUACCT = '/sys/fs/cgroup/cpuacct';

/**
 * CPU time of a server and everything it forks or threads. Through a cgroup-v1 cpuacct group of its own
 * when the machine allows it (root; tftpd-hpa forks per transfer and ignores SIGCHLD, so its children's
 * time never reaches the parent's /proc counters), else /proc/<pid>/stat. remove() deletes the group.
 */
export class CpuMeter {
  private group: string | undefined;
  constructor(
    private readonly pid: number,
    name: string,
  ) {
    try {
      const g = join(CPUACCT, `bootlab-bench-${process.pid}-${name}`);
      mkdirSync(g);
      writeFileSync(join(g, 'cgroup.procs'), String(pid));
      this.group = g;
    } catch {
      this.group = undefined;
    }
  }

  /** Moves another process (a worker forked before the group existed) into the group. */
  add(pid: number): void {
    if (!this.group) return;
    try {
      writeFileSync(join(this.group, 'cgroup.procs'), String(pid));
    } catch {
      /* exited */
    }
  }

  get via(): string {
    return this.group ? 'cpuacct cgroup' : '/proc stat';
  }

  ms(): number {
    if (this.group) {
      try {
        return Number(readFileSync(join(this.group, 'cpuacct.usage'), 'utf8')) / 1e6;
      } catch {
        /* fall through */
      }
    }
    return cpuMs(this.pid);
  }

  /** Deletes the group (its processes must have exited; stragglers go back to the root group). */
  remove(): void {
    if (!this.group) return;
    try {
      for (const p of readFileSync(join(this.group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
        writeFileSync(join(CPUACCT, 'cgroup.procs'), p);
    } catch {
      /* gone */
    }
    try {
      rmdirSync(this.group);
    } catch {
      /* still busy: left for the next run's cleanup */
    }
    this.group = undefined;
  }
}

/**
 * Compiles a TypeScript entry into one ES module (esbuild, npm packages left as imports) under
 * node_modules/.cache/bootlab-bench/, so benchmark children run on plain `node` the way the built app
 * does: the tsx loader costs ~40 MiB of RSS and a loader thread, which would otherwise count as Bootlab's.
 */
export function bundleEntry(entry: string, name: string): string {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const outDir = join(repo, 'node_modules', '.cache', 'bootlab-bench');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.mjs`);
  const r = spawnSync(
    join(repo, 'node_modules', '.bin', 'esbuild'),
    [
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--packages=external',
      '--target=node20',
      `--outfile=${out}`,
      '--log-level=error',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`esbuild ${entry}: ${r.stderr || r.error}`);
  return out;
}
