/**
 * TFTP benchmark, every server fetched by the same client (atftp 0.8, which negotiates blksize and
 * windowsize) in the same run, on the loopback of a private network namespace (dnsmasq's TFTP port is
 * fixed at 69; nothing here touches the host's own ports). Results: bench/results/tftp.json; CPU profiles
 * and raw rounds: os.tmpdir()/bootlab-bench/<date>/.
 *
 * - Lock-step (windowsize 1) at blksize 512, 1432, 1468, 8192: Bootlab, tftpd-hpa, atftpd, dnsmasq.
 * - Windowed (windowsize 8, 32) at blksize 512, 1468, 8192: Bootlab and atftpd (the only reference that
 *   negotiates windowsize; tftpd-hpa and dnsmasq would silently fall back to lock-step: unequal options).
 * - The floor: bench/tftp-floor.ts, the least a Node sender can do per packet, in every cell.
 * Rounds alternate the server order; each figure is the median of ROUNDS with min–max, and each ratio the
 * median of per-round ratios. Besides MiB/s (wall clock, load-sensitive) every cell has the server's CPU
 * time per MiB (from /proc, far less sensitive to other work on the machine).
 * - Scale: 100 × 4 MiB and 500 × 1 MiB concurrent clients against Bootlab and tftpd-hpa (all must finish),
 *   aggregate MiB/s and peak RSS.
 * - Syscalls per block (strace -c) for one lock-step 1468 transfer of each server.
 * - CPU profiles (--cpu-prof) of Bootlab in lock-step and windowed transfers.
 * Env: BOOTLAB_BENCH_TFTP_MIB (file size, 16), BOOTLAB_BENCH_ROUNDS (3), BOOTLAB_BENCH_TFTP_SCALE
 * ("100x4,500x1"), BOOTLAB_BENCH_TFTP_ONLY ("lockstep,windowed,scale,strace,profile": parts to run),
 * BOOTLAB_BENCH_TFTP_CELLS (e.g. "8192x32,1468x1": only those blksize×window cells; default all).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Netns, netnsUnavailableReason, waitFor } from '../test/helpers/netns.js';
import {
  alternate,
  benchOutDir,
  bundleEntry,
  CpuMeter,
  fmtSpread,
  peakRssMiB,
  ratioSpread,
  rssSampler,
  spread,
  treeRssMiB,
  type Spread,
} from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const FILE_MIB = Number(process.env.BOOTLAB_BENCH_TFTP_MIB ?? 16);
const ROUNDS = Number(process.env.BOOTLAB_BENCH_ROUNDS ?? 3);
const LOCKSTEP_BLKSIZES = [512, 1432, 1468, 8192];
const WINDOW_BLKSIZES = [512, 1468, 8192];
const WINDOWS = [8, 32];
const SCALE = (process.env.BOOTLAB_BENCH_TFTP_SCALE ?? '100x4,500x1').split(',').map((s) => {
  const [clients, mib] = s.split('x').map(Number);
  return { clients: clients!, mib: mib! };
});
const PARTS = new Set(
  (process.env.BOOTLAB_BENCH_TFTP_ONLY ?? 'lockstep,windowed,scale,strace,profile').split(','),
);
const CELLS = process.env.BOOTLAB_BENCH_TFTP_CELLS?.split(',');
const wantedCell = (blksize: number, window: number): boolean =>
  !CELLS || CELLS.includes(`${blksize}x${window}`);
const RUN_TIMEOUT_MS = 120_000;
const HPA = '/opt/bootlab-ref/tftpd-hpa/usr/sbin/in.tftpd';
const REFERENCES = ['tftpd-hpa', 'atftpd', 'dnsmasq'];

/** Both Node servers run compiled (bench/common.ts bundleEntry), as the built app does: no tsx loader. */
const bundles = { bootlab: '', floor: '', baseline: '' };
/**
 * BOOTLAB_BENCH_BASELINE=<folder>: a second Bootlab built from another source tree (e.g. `git archive HEAD`
 * unpacked there, node_modules linked) runs as server "baseline" in the same rounds: before/after of a
 * change measured side by side instead of in two runs minutes apart.
 */
const BASELINE = process.env.BOOTLAB_BENCH_BASELINE;

interface Server {
  name: string;
  port: number;
  windows: boolean;
  proc: ChildProcess;
  cpu: CpuMeter;
}

interface Cell {
  blksize: number;
  windowsize: number;
  /** Per server, per round (null = failed). */
  mibps: Record<string, (number | null)[]>;
  cpuMsPerMiB: Record<string, (number | null)[]>;
  notes: string[];
}

function atftpArgs(port: number, file: string, out: string, blksize: number, windowsize: number): string[] {
  const opts = [];
  if (blksize !== 512) opts.push('--option', `blksize ${blksize}`);
  if (windowsize !== 1) opts.push('--option', `windowsize ${windowsize}`);
  return ['--tftp-timeout', '1', ...opts, '-g', '-r', file, '-l', out, '127.0.0.1', String(port)];
}

function fetchOnce(
  ns: Netns,
  s: Server,
  file: string,
  out: string,
  bytes: number,
  blksize: number,
  windowsize: number,
): { ok: boolean; seconds: number; cpuMs: number; err: string } {
  rmSync(out, { force: true });
  const cpu0 = s.cpu.ms();
  const t = process.hrtime.bigint();
  const r = spawnSync(
    'ip',
    ['netns', 'exec', ns.name, 'atftp', ...atftpArgs(s.port, file, out, blksize, windowsize)],
    { encoding: 'utf8', timeout: RUN_TIMEOUT_MS },
  );
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const cpu = s.cpu.ms() - cpu0;
  const ok = r.status === 0 && existsSync(out) && statSync(out).size === bytes;
  rmSync(out, { force: true });
  return { ok, seconds, cpuMs: cpu, err: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function bootlabChild(
  ns: Netns,
  root: string,
  extraNodeArgs: string[] = [],
  bundle = bundles.bootlab,
): ChildProcess {
  // Caps raised so Bootlab negotiates exactly what the client asks (equal options with the references).
  const opts = {
    bootRoot: root,
    ifname: 'lo',
    tftp: {
      maxBlockSize: 65464,
      maxWindowSize: 64,
      maxBytesInFlight: 16 * 1024 * 1024,
      maxTransfers: 1000,
      timeoutMs: 1000,
    },
  };
  return ns.spawn(process.execPath, [...extraNodeArgs, bundle, JSON.stringify(opts)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

async function readyPort(proc: ChildProcess, what: string): Promise<number> {
  let port = 0;
  proc.stdout!.on('data', (d: Buffer) => {
    const m = /READY (\d+)/.exec(d.toString());
    if (m) port = Number(m[1]);
  });
  await waitFor(what, () => port > 0, 60_000);
  return port;
}

function withMeter(s: Omit<Server, 'cpu'>): Server {
  return { ...s, cpu: new CpuMeter(s.proc.pid!, `tftp-${s.name}`) };
}

async function startServers(ns: Netns, root: string, work: string): Promise<Server[]> {
  const servers: Server[] = [];
  const boot = bootlabChild(ns, root);
  servers.push(
    withMeter({ name: 'bootlab', port: await readyPort(boot, 'Bootlab TFTP'), windows: true, proc: boot }),
  );
  if (bundles.baseline) {
    const base = bootlabChild(ns, root, [], bundles.baseline);
    servers.push(
      withMeter({
        name: 'baseline',
        port: await readyPort(base, 'baseline TFTP'),
        windows: true,
        proc: base,
      }),
    );
  }
  const floor = ns.spawn(process.execPath, [bundles.floor, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(
    withMeter({ name: 'node-floor', port: await readyPort(floor, 'Node floor'), windows: true, proc: floor }),
  );
  // Pid and log files go to the bench's own folder, never /dev/null: dnsmasq replaces its pid file (and
  // atftpd its log) with a new regular file, which turned /dev/null into one.
  writeFileSync(join(work, 'dnsmasq.conf'), '');
  if (existsSync(HPA)) {
    const p = ns.spawn(HPA, ['-L', '-u', 'nobody', '-s', root, '-a', '127.0.0.1:6901'], { stdio: 'ignore' });
    servers.push(withMeter({ name: 'tftpd-hpa', port: 6901, windows: false, proc: p }));
  }
  if (spawnSync('sh', ['-c', 'command -v atftpd']).status === 0) {
    const p = ns.spawn(
      'atftpd',
      [
        '--daemon',
        '--no-fork',
        '--port',
        '6903',
        '--bind-address',
        '127.0.0.1',
        '--user',
        'root.root',
        '--logfile',
        join(work, 'atftpd.log'),
        '--maxthread',
        '1000',
        root,
      ],
      { stdio: 'ignore' },
    );
    servers.push(withMeter({ name: 'atftpd', port: 6903, windows: true, proc: p }));
  }
  if (spawnSync('sh', ['-c', 'command -v dnsmasq']).status === 0) {
    const p = ns.spawn(
      'dnsmasq',
      [
        '--keep-in-foreground',
        `--conf-file=${join(work, 'dnsmasq.conf')}`,
        '--port=0',
        '--enable-tftp',
        `--tftp-root=${root}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--user=root',
        `--pid-file=${join(work, 'dnsmasq.pid')}`,
        '--tftp-max=1000',
        `--log-facility=${join(work, 'dnsmasq.log')}`,
      ],
      { stdio: 'ignore' },
    );
    servers.push(withMeter({ name: 'dnsmasq', port: 69, windows: false, proc: p }));
  }
  await new Promise((r) => setTimeout(r, 800));
  return servers;
}

function measureCell(ns: Netns, servers: Server[], blksize: number, windowsize: number, out: string): Cell {
  const cell: Cell = { blksize, windowsize, mibps: {}, cpuMsPerMiB: {}, notes: [] };
  const taking = servers.filter((s) => windowsize === 1 || s.windows);
  for (const s of taking) {
    cell.mibps[s.name] = [];
    cell.cpuMsPerMiB[s.name] = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of alternate(taking, r)) {
      const m = fetchOnce(ns, s, 'big.bin', out, FILE_MIB << 20, blksize, windowsize);
      cell.mibps[s.name]!.push(m.ok ? FILE_MIB / m.seconds : null);
      cell.cpuMsPerMiB[s.name]!.push(m.ok ? m.cpuMs / FILE_MIB : null);
      if (!m.ok)
        cell.notes.push(`${s.name} round ${r}: ${m.err.split('\n').filter(Boolean).pop() ?? 'failed'}`);
    }
  }
  return cell;
}

interface ScaleRow {
  server: string;
  clients: number;
  mibEach: number;
  ok: number;
  seconds: number;
  aggregateMiBps: number;
  idleRssMiB: number;
  peakRssMiB: number;
  cpuMsPerMiB: number;
}

async function scale(ns: Netns, s: Server, dir: string, clients: number, mib: number): Promise<ScaleRow> {
  const pid = s.proc.pid!;
  const idleRssMiB = treeRssMiB(pid);
  const sampler = rssSampler(pid);
  const cpu0 = s.cpu.ms();
  const start = Date.now();
  const jobs = Array.from(
    { length: clients },
    (_, i) =>
      new Promise<boolean>((resolve) => {
        const out = join(dir, `c-${s.name}-${i}`);
        const p = spawn(
          'ip',
          ['netns', 'exec', ns.name, 'atftp', ...atftpArgs(s.port, `scale-${mib}.bin`, out, 1468, 1)],
          { stdio: 'ignore' },
        );
        const t = setTimeout(() => p.kill('SIGKILL'), RUN_TIMEOUT_MS);
        p.on('exit', (code) => {
          clearTimeout(t);
          let ok = code === 0;
          try {
            ok = ok && statSync(out).size === mib << 20;
            rmSync(out, { force: true });
          } catch {
            ok = false;
          }
          resolve(ok);
        });
      }),
  );
  const results = await Promise.all(jobs);
  const seconds = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 100));
  const peak = Math.max(sampler.stop(), s.name === 'bootlab' ? peakRssMiB(pid) : 0);
  const ok = results.filter(Boolean).length;
  return {
    server: s.name,
    clients,
    mibEach: mib,
    ok,
    seconds,
    aggregateMiBps: (ok * mib) / seconds,
    idleRssMiB,
    peakRssMiB: peak,
    cpuMsPerMiB: (s.cpu.ms() - cpu0) / Math.max(1, ok * mib),
  };
}

/** strace -c over one lock-step transfer: system calls the server makes per DATA block. */
async function syscallsPerBlock(ns: Netns, s: Server, out: string): Promise<number | null> {
  if (spawnSync('sh', ['-c', 'command -v strace']).status !== 0) return null;
  const file = join(benchOutDir(), `tftp-strace-${s.name}.txt`);
  const st = spawn('strace', ['-c', '-f', '-o', file, '-p', String(s.proc.pid)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 700));
  const blksize = 1468;
  const bytes = 4 << 20;
  const m = fetchOnce(ns, s, 'scale-4.bin', out, bytes, blksize, 1);
  await new Promise((r) => setTimeout(r, 300));
  st.kill('SIGINT');
  await new Promise((r) => st.once('exit', r));
  if (!m.ok) return null;
  // The summary's last line: "100.00  seconds  usecs/call  calls  [errors]  total".
  const totalLine = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => /\stotal\s*$/.test(l));
  const calls = totalLine ? Number(totalLine.trim().split(/\s+/)[3]) : NaN;
  return Number.isFinite(calls) ? calls / (Math.floor(bytes / blksize) + 1) : null;
}

/** One profiled Bootlab process per hot path; the profile lands in the bench output folder. */
async function profile(ns: Netns, root: string, outDir: string, out: string): Promise<string[]> {
  const written: string[] = [];
  const paths = [
    { name: 'tftp-lockstep-1468', blksize: 1468, windowsize: 1 },
    { name: 'tftp-window8-1468', blksize: 1468, windowsize: 8 },
    { name: 'tftp-lockstep-512', blksize: 512, windowsize: 1 },
  ];
  for (const p of paths) {
    const proc = bootlabChild(ns, root, [
      '--cpu-prof',
      '--cpu-prof-interval=250',
      `--cpu-prof-dir=${outDir}`,
      `--cpu-prof-name=${p.name}.cpuprofile`,
    ]);
    const port = await readyPort(proc, 'profiled Bootlab TFTP');
    const s = withMeter({ name: 'bootlab', port, windows: true, proc });
    fetchOnce(ns, s, 'big.bin', out, FILE_MIB << 20, p.blksize, p.windowsize);
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    s.cpu.remove();
    if (existsSync(join(outDir, `${p.name}.cpuprofile`))) written.push(join(outDir, `${p.name}.cpuprofile`));
  }
  return written;
}

function writeRandom(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i++) writeSync(fd, randomBytes(1 << 20));
  closeSync(fd);
  chmodSync(path, 0o644);
}

function bestReference(cell: Cell): string | undefined {
  let best: string | undefined;
  let bestV = -1;
  for (const n of REFERENCES) {
    const v = cell.mibps[n] ? spread(cell.mibps[n].filter((x): x is number => x != null)).median : NaN;
    if (v > bestV) {
      bestV = v;
      best = n;
    }
  }
  return best;
}

function printCells(cells: Cell[], names: string[]): void {
  const w = 22;
  console.log(
    [
      'blksize×win'.padEnd(12),
      ...names.map((n) => n.padStart(w)),
      'vs best ref'.padStart(w),
      'vs floor'.padStart(w),
    ].join(''),
  );
  for (const c of cells) {
    const cols = names.map((n) =>
      c.mibps[n]
        ? fmtSpread(spread(c.mibps[n].filter((x): x is number => x != null))).padStart(w)
        : '-'.padStart(w),
    );
    const ref = bestReference(c);
    const vsRef = ref ? `${fmtSpread(ratioSpread(c.mibps['bootlab']!, c.mibps[ref]!), 2)} ${ref}` : '-';
    const vsBase = c.mibps['baseline']
      ? ` base ${fmtSpread(ratioSpread(c.mibps['bootlab']!, c.mibps['baseline']), 2)}`
      : '';
    const vsFloor = c.mibps['node-floor']
      ? fmtSpread(ratioSpread(c.mibps['bootlab']!, c.mibps['node-floor']), 2)
      : '-';
    console.log(
      [
        `${c.blksize}×${c.windowsize}`.padEnd(12),
        ...cols,
        vsRef.padStart(w),
        vsFloor.padStart(w),
        vsBase,
      ].join(''),
    );
  }
  console.log('server CPU ms per MiB (median; lower is better; holds better than MiB/s on a busy machine):');
  for (const c of cells) {
    const cols = names.map((n) =>
      c.cpuMsPerMiB[n]
        ? fmtSpread(spread(c.cpuMsPerMiB[n].filter((x): x is number => x != null)), 1).padStart(w)
        : '-'.padStart(w),
    );
    // CPU ratios per round: below 1 = Bootlab spends less CPU per MiB than the other.
    const cpuRatio = (other: string): string =>
      c.cpuMsPerMiB[other] ? fmtSpread(ratioSpread(c.cpuMsPerMiB['bootlab']!, c.cpuMsPerMiB[other]), 2) : '-';
    const ref = bestReference(c);
    console.log(
      [
        `${c.blksize}×${c.windowsize}`.padEnd(12),
        ...cols,
        ` cpu vs floor ${cpuRatio('node-floor')}`,
        ref ? ` vs ${ref} ${cpuRatio(ref)}` : '',
        c.cpuMsPerMiB['baseline'] ? ` vs base ${cpuRatio('baseline')}` : '',
      ].join(''),
    );
  }
}

export async function run(): Promise<void> {
  const why = netnsUnavailableReason();
  if (why) {
    // A benchmark that cannot run says so and fails: a silent skip would look like a result.
    throw new Error(`the TFTP benchmark needs network namespaces: ${why}`);
  }
  const outDir = benchOutDir();
  bundles.bootlab = bundleEntry(
    join(here, '..', 'test', 'integration', 'tftp', 'serve-child.ts'),
    'tftp-serve-child',
  );
  bundles.floor = bundleEntry(join(here, 'tftp-floor.ts'), 'tftp-floor');
  if (BASELINE)
    bundles.baseline = bundleEntry(
      join(BASELINE, 'test', 'integration', 'tftp', 'serve-child.ts'),
      'tftp-serve-child-baseline',
    );
  const dir = mkdtempSync(join(tmpdir(), 'tftp-bench-'));
  const root = join(dir, 'root');
  mkdirSync(root);
  chmodSync(dir, 0o755);
  chmodSync(root, 0o755);
  writeRandom(join(root, 'big.bin'), FILE_MIB);
  for (const m of new Set([...SCALE.map((s) => s.mib), 4])) writeRandom(join(root, `scale-${m}.bin`), m);
  const ns = Netns.create('tfb');
  // tftpd-hpa resolves its bind address with AI_ADDRCONFIG, which fails when only loopback has an IPv4
  // address: give the namespace a veth pair (both ends inside it) with a private address.
  const va = `tfba${process.pid % 10000}`;
  const vb = `tfbb${process.pid % 10000}`;
  spawnSync('ip', ['link', 'add', va, 'type', 'veth', 'peer', 'name', vb]);
  spawnSync('ip', ['link', 'set', va, 'netns', ns.name]);
  spawnSync('ip', ['link', 'set', vb, 'netns', ns.name]);
  ns.run('ip', ['addr', 'add', '10.254.77.1/24', 'dev', va]);
  ns.run('ip', ['link', 'set', va, 'up']);
  ns.run('ip', ['link', 'set', vb, 'up']);
  ns.run('ip', ['link', 'set', 'lo', 'up']);
  const cells: Cell[] = [];
  const scaleRows: ScaleRow[] = [];
  const syscalls: Record<string, number | null> = {};
  let profiles: string[] = [];
  let servers: Server[] = [];
  try {
    servers = await startServers(ns, root, dir);
    const out = join(dir, 'out.bin');
    const idleRss = treeRssMiB(servers[0]!.proc.pid!);
    if (PARTS.has('lockstep'))
      for (const b of LOCKSTEP_BLKSIZES)
        if (wantedCell(b, 1)) cells.push(measureCell(ns, servers, b, 1, out));
    if (PARTS.has('windowed'))
      for (const b of WINDOW_BLKSIZES)
        for (const w of WINDOWS) if (wantedCell(b, w)) cells.push(measureCell(ns, servers, b, w, out));
    if (PARTS.has('strace')) for (const s of servers) syscalls[s.name] = await syscallsPerBlock(ns, s, out);
    if (PARTS.has('scale')) {
      for (const { clients, mib } of SCALE)
        for (const s of servers.filter((x) => x.name === 'bootlab' || x.name === 'tftpd-hpa'))
          scaleRows.push(await scale(ns, s, dir, clients, mib));
    }
    for (const s of servers) s.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    for (const s of servers) s.cpu.remove();
    if (PARTS.has('profile')) profiles = await profile(ns, root, outDir, out);
    const names = servers.map((s) => s.name);
    console.log(
      `TFTP ${FILE_MIB} MiB file, client atftp 0.8 on loopback; MiB/s median (min–max) of ${ROUNDS} alternating rounds; ratio = Bootlab / other, per round`,
    );
    printCells(cells, names);
    for (const c of cells)
      for (const n of c.notes) console.log(`  failed: ${c.blksize}×${c.windowsize} ${n}`);
    if (Object.keys(syscalls).length) {
      console.log('system calls per DATA block, one lock-step 1468 transfer (strace -c -f):');
      for (const [n, v] of Object.entries(syscalls))
        console.log(`  ${n.padEnd(11)} ${v === null ? '-' : v.toFixed(2)}`);
    }
    console.log(`Bootlab TFTP child idle RSS (compiled, plain node): ${idleRss.toFixed(0)} MiB`);
    for (const r of scaleRows)
      console.log(
        `  ${String(r.clients).padStart(4)} × ${r.mibEach} MiB lock-step 1468 ${r.server.padEnd(10)} ${r.ok}/${r.clients} ok, ${r.seconds.toFixed(1)} s, aggregate ${r.aggregateMiBps.toFixed(1)} MiB/s, CPU ${r.cpuMsPerMiB.toFixed(0)} ms/MiB, RSS idle ${r.idleRssMiB.toFixed(0)} → peak ${r.peakRssMiB.toFixed(0)} MiB`,
      );
    for (const p of profiles) console.log(`  profile: ${p}`);
    const results = {
      fileMiB: FILE_MIB,
      rounds: ROUNDS,
      client: 'atftp 0.8.0',
      servers: names,
      cells,
      syscallsPerBlock: syscalls,
      scale: scaleRows,
      profiles,
      time: new Date().toISOString(),
    };
    writeFileSync(join(outDir, 'tftp.json'), JSON.stringify(results, null, 2) + '\n');
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'tftp.json'), JSON.stringify(results, null, 2) + '\n');
  } finally {
    for (const s of servers) s.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    ns.destroy();
    for (const s of servers) s.cpu.remove();
    for (
      let i = 0;
      i < 5 && spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(ns.name);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 200));
      spawnSync('ip', ['netns', 'del', ns.name]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export type { Spread };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
