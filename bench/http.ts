// HTTP boot server benchmark: Bootlab's HttpService next to nginx and a minimal Node server (the floor of
// Node's own socket path: fs.createReadStream(file).pipe(res), same chunk size as Bootlab), same files, same
// client (curl), same run. Results: bench/results/http.json; profiles and raw rounds in
// os.tmpdir()/bootlab-bench/<date>/.
//   1. one 1 GiB download (single stream); nginx also with sendfile off, to show what sendfile is worth
//   2. 200 concurrent downloads of a 32 MiB file (curl --parallel, aggregate throughput)
//   3. scale: 1,000 concurrent downloads of a 4 MiB file (4 curl processes × 250), Bootlab and nginx
// All servers run as child processes on 127.0.0.1 high ports, one worker each (Bootlab's HTTP server is one
// Node event loop, so nginx gets worker_processes 1). The files live in os.tmpdir() and are read once before
// timing, so every server reads from the page cache. Rounds alternate the server order; figures are medians
// with min–max, ratios the median of per-round ratios. Besides MiB/s (wall clock: moves with machine load)
// each row has the server's CPU time per GiB (cpuacct cgroup or /proc), which holds on a busy machine.
// Env: BOOTLAB_BENCH_ROUNDS (3), BOOTLAB_BENCH_HTTP_SCALE (1000, 0 = off), BOOTLAB_BENCH_HTTP_ONLY
// ("single,concurrent,scale,profile").
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  alternate,
  benchOutDir,
  bundleEntry,
  childPids,
  CpuMeter,
  fmtSpread,
  peakRssMiB,
  ratioSpread,
  rssSampler,
  spread,
  treeRssMiB,
} from './common.js';
import { freePort } from '../test/helpers/ports.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const BIG_SIZE = 1 * GiB;
const SMALL_SIZE = 32 * MiB;
const SCALE_SIZE = 4 * MiB;
const CONCURRENT = 200;
const SCALE = Number(process.env.BOOTLAB_BENCH_HTTP_SCALE ?? 1000);
const ROUNDS = Number(process.env.BOOTLAB_BENCH_ROUNDS ?? 3);
const PARTS = new Set((process.env.BOOTLAB_BENCH_HTTP_ONLY ?? 'single,concurrent,scale,profile').split(','));
const CHILD_ENV = 'BOOTLAB_HTTP_BENCH_CHILD';
const FLOOR_ENV = 'BOOTLAB_HTTP_BENCH_FLOOR';
/**
 * Same read size as Bootlab's few-downloads tier (static-files.ts READ_TIERS) so the floor differs only in
 * Bootlab's work (the floor's stream reads ahead on its own; Bootlab's pump uses two buffers for that).
 */
const FLOOR_CHUNK = 1024 * 1024;

interface Measure {
  seconds: number;
  bytes: number;
  mbPerSecond: number;
  cpuMsPerGiB: number;
}

interface Running {
  name: string;
  base: string;
  child: ChildProcess;
  cpu: CpuMeter;
}

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 16 * MiB }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early (code ${child.exitCode})`);
    try {
      await exec('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/`]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing listens on ${port}`);
}

/** sha256 of a whole download (untimed check that the server sends the right bytes). */
function downloadSha(url: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const c = spawn('curl', ['-sS', '--fail', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const h = createHash('sha256');
    c.stdout.on('data', (d: Buffer) => h.update(d));
    c.on('close', (code) =>
      code === 0 ? resolve(h.digest('hex')) : reject(new Error(`curl exited ${code}`)),
    );
  });
}

async function timed(s: Running, bytes: number, work: () => Promise<void>): Promise<Measure> {
  const cpu0 = s.cpu.ms();
  const t0 = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = s.cpu.ms() - cpu0;
  return { seconds, bytes, mbPerSecond: bytes / MiB / seconds, cpuMsPerGiB: (cpu * GiB) / bytes };
}

function single(s: Running): Promise<Measure> {
  return timed(s, BIG_SIZE, async () => {
    const out = await exec('curl', [
      '-sS',
      '--fail',
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      `${s.base}/big.img`,
    ]);
    if (Number(out) !== BIG_SIZE) throw new Error(`1 GiB download from ${s.name}: got ${out} bytes`);
  });
}

/** `count` downloads of `file` at once: curl --parallel, at most 250 per curl process (curl caps at 300). */
function parallel(s: Running, file: string, size: number, count: number): Promise<Measure> {
  return timed(s, size * count, async () => {
    const perProc = 250;
    const procs: Promise<string>[] = [];
    for (let first = 0; first < count; first += perProc) {
      const n = Math.min(perProc, count - first);
      const args = [
        '-sS',
        '--parallel',
        '--parallel-max',
        String(n),
        '--parallel-immediate',
        '-w',
        '%{http_code} %{size_download}\n',
      ];
      for (let i = first; i < first + n; i++) args.push(`${s.base}/${file}?i=${i}`, '-o', '/dev/null');
      procs.push(exec('curl', args));
    }
    const lines = (await Promise.all(procs)).join('').trim().split('\n');
    const good = lines.filter((l) => l === `200 ${size}`).length;
    if (good !== count)
      throw new Error(`${s.name}: only ${good}/${count} downloads of ${file} completed in full`);
  });
}

async function startNode(
  name: string,
  env: string,
  spec: object,
  nodeArgs: string[] = [],
  bundle = childBundle,
): Promise<Running> {
  const port = await freePort('tcp');
  const child = spawn(process.execPath, [...nodeArgs, bundle], {
    env: { ...process.env, [env]: JSON.stringify({ ...spec, port }) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const cpu = new CpuMeter(child.pid!, `http-${name}`);
  await waitForPort(port, child);
  return { name, base: `http://127.0.0.1:${port}`, child, cpu };
}

async function startNginx(name: string, root: string, dir: string, sendfile: boolean): Promise<Running> {
  const port = await freePort('tcp');
  const prefix = join(dir, name);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const temp = (n: string): string => join(prefix, n);
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('logs/error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile ${sendfile ? 'on' : 'off'};
  tcp_nopush on;
  keepalive_timeout 30;
  default_type application/octet-stream;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const cpu = new CpuMeter(child.pid!, `http-${name}`);
  await waitForPort(port, child);
  // The worker may have forked before the master joined the group: move it in too.
  for (const w of childPids(child.pid!)) cpu.add(w);
  return { name, base: `http://127.0.0.1:${port}`, child, cpu };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function makeFiles(root: string): string {
  // 1 GiB from a repeated 16 MiB random block (incompressible, quick to write), plus the smaller files.
  const block = randomBytes(16 * MiB);
  const hash = createHash('sha256');
  const fd = openSync(join(root, 'big.img'), 'w');
  for (let written = 0; written < BIG_SIZE; written += block.length) {
    writeSync(fd, block);
    hash.update(block);
  }
  closeSync(fd);
  writeFileSync(join(root, 'small.img'), Buffer.concat([block, block]).subarray(0, SMALL_SIZE));
  writeFileSync(join(root, 'scale.img'), block.subarray(0, SCALE_SIZE));
  return hash.digest('hex');
}

type Series = Map<string, Measure[]>;

function row(label: string, names: string[], series: Series, unit: 'mbPerSecond' | 'cpuMsPerGiB'): string {
  const w = 24;
  return [
    label.padEnd(30),
    ...names.map((n) =>
      (series.get(n)?.length ? fmtSpread(spread(series.get(n)!.map((m) => m[unit])), 0) : '-').padStart(w),
    ),
  ].join('');
}

function ratio(
  series: Series,
  a: string,
  b: string,
  unit: 'mbPerSecond' | 'cpuMsPerGiB' = 'mbPerSecond',
): string {
  const x = series.get(a);
  const y = series.get(b);
  if (!x?.length || !y?.length) return '-';
  return fmtSpread(
    ratioSpread(
      x.map((m) => m[unit]),
      y.map((m) => m[unit]),
    ),
    2,
  );
}

/** This file compiled (bench/common.ts bundleEntry): children run on plain node, as the built app does. */
let childBundle = '';
/**
 * BOOTLAB_BENCH_BASELINE=<folder>: the same benchmark child built from another source tree (e.g.
 * `git archive HEAD` unpacked there, node_modules linked) runs as server "baseline" in the same rounds, so
 * a change is measured before/after side by side.
 */
const BASELINE = process.env.BOOTLAB_BENCH_BASELINE;

export async function run(): Promise<void> {
  const outDir = benchOutDir();
  childBundle = bundleEntry(fileURLToPath(import.meta.url), 'http-bench-child');
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-bench-http-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'root');
  mkdirSync(root, { mode: 0o755 });
  const running: Running[] = [];
  try {
    const bigSha = makeFiles(root);
    const bootlab = await startNode('bootlab', CHILD_ENV, { root, dir });
    running.push(bootlab);
    const baseline = BASELINE
      ? await startNode(
          'baseline',
          CHILD_ENV,
          { root, dir },
          [],
          bundleEntry(join(BASELINE, 'bench', 'http.ts'), 'http-bench-child-baseline'),
        )
      : undefined;
    if (baseline) running.push(baseline);
    const idleRssMiB = treeRssMiB(bootlab.child.pid!);
    const floor = await startNode('node-floor', FLOOR_ENV, { root });
    running.push(floor);
    const nginx = await startNginx('nginx', root, dir, true);
    running.push(nginx);
    const nginxNoSendfile = await startNginx('nginx-nosendfile', root, dir, false);
    running.push(nginxNoSendfile);
    const nginxIdle = treeRssMiB(nginx.child.pid!);
    // Untimed: every server sends the right bytes, and the files are in the page cache before timing.
    for (const s of running) {
      if ((await downloadSha(`${s.base}/big.img`)) !== bigSha)
        throw new Error(`${s.name} sent different bytes for big.img`);
    }
    const names = running.map((s) => s.name);
    const singles: Series = new Map(names.map((n) => [n, []]));
    const concs: Series = new Map();
    const scales: Series = new Map();
    const peak = { bootlab200: 0, nginx200: 0, bootlabScale: 0, nginxScale: 0, baseline200: 0 };
    const concServers = [bootlab, ...(baseline ? [baseline] : []), floor, nginx];
    for (const s of concServers) concs.set(s.name, []);
    for (let r = 0; r < ROUNDS; r++) {
      if (PARTS.has('single'))
        for (const s of alternate(running, r)) singles.get(s.name)!.push(await single(s));
      if (PARTS.has('concurrent'))
        for (const s of alternate(concServers, r)) {
          const sampler = rssSampler(s.child.pid!);
          concs.get(s.name)!.push(await parallel(s, 'small.img', SMALL_SIZE, CONCURRENT));
          const p = sampler.stop();
          if (s === bootlab) peak.bootlab200 = Math.max(peak.bootlab200, p);
          if (s === nginx) peak.nginx200 = Math.max(peak.nginx200, p);
          if (s === baseline) peak.baseline200 = Math.max(peak.baseline200, p);
        }
    }
    if (PARTS.has('scale') && SCALE > 0) {
      for (const s of [bootlab, nginx]) {
        const sampler = rssSampler(s.child.pid!);
        scales.set(s.name, [await parallel(s, 'scale.img', SCALE_SIZE, SCALE)]);
        const p = sampler.stop();
        if (s === bootlab) peak.bootlabScale = p;
        else peak.nginxScale = p;
      }
    }
    const bootlabPeakHwm = peakRssMiB(bootlab.child.pid!);
    const cpuVia = bootlab.cpu.via;
    for (const s of running) await stopChild(s.child);
    for (const s of running) s.cpu.remove();

    let profiles: string[] = [];
    if (PARTS.has('profile')) profiles = await profile(root, dir, outDir);

    console.log(
      `HTTP (loopback, curl client): median (min–max) of ${ROUNDS} alternating rounds; CPU via ${cpuVia}`,
    );
    console.log(['MiB/s'.padEnd(30), ...names.map((n) => n.padStart(24))].join(''));
    console.log(row('1 GiB download', names, singles, 'mbPerSecond'));
    console.log(row(`${CONCURRENT} × 32 MiB concurrent`, names, concs, 'mbPerSecond'));
    if (scales.size) console.log(row(`${SCALE} × 4 MiB concurrent`, names, scales, 'mbPerSecond'));
    console.log(['server CPU ms per GiB'.padEnd(30), ...names.map((n) => n.padStart(24))].join(''));
    console.log(row('1 GiB download', names, singles, 'cpuMsPerGiB'));
    console.log(row(`${CONCURRENT} × 32 MiB concurrent`, names, concs, 'cpuMsPerGiB'));
    if (scales.size) console.log(row(`${SCALE} × 4 MiB concurrent`, names, scales, 'cpuMsPerGiB'));
    console.log('ratios (per round, median (min–max)):');
    console.log(
      `  1 GiB      Bootlab / nginx ${ratio(singles, 'bootlab', 'nginx')}   Bootlab / Node floor ${ratio(singles, 'bootlab', 'node-floor')}   Node floor / nginx ${ratio(singles, 'node-floor', 'nginx')}   nginx sendfile off / on ${ratio(singles, 'nginx-nosendfile', 'nginx')}`,
    );
    if (baseline)
      console.log(
        `  Bootlab / baseline: MiB/s 1 GiB ${ratio(singles, 'bootlab', 'baseline')}, 200 × 32 ${ratio(concs, 'bootlab', 'baseline')}; CPU per GiB 1 GiB ${ratio(singles, 'bootlab', 'baseline', 'cpuMsPerGiB')}, 200 × 32 ${ratio(concs, 'bootlab', 'baseline', 'cpuMsPerGiB')}; baseline peak RSS during 200 × 32 MiB ${peak.baseline200.toFixed(0)} MiB`,
      );
    console.log(
      `  200 × 32   Bootlab / nginx ${ratio(concs, 'bootlab', 'nginx')}   Bootlab / Node floor ${ratio(concs, 'bootlab', 'node-floor')}   Node floor / nginx ${ratio(concs, 'node-floor', 'nginx')}`,
    );
    console.log(
      `  CPU per GiB, Bootlab / Node floor: 1 GiB ${ratio(singles, 'bootlab', 'node-floor', 'cpuMsPerGiB')}, 200 × 32 ${ratio(concs, 'bootlab', 'node-floor', 'cpuMsPerGiB')}; Bootlab / nginx: 1 GiB ${ratio(singles, 'bootlab', 'nginx', 'cpuMsPerGiB')}, 200 × 32 ${ratio(concs, 'bootlab', 'nginx', 'cpuMsPerGiB')}`,
    );
    console.log(
      `RSS (MiB): Bootlab HTTP child idle ${idleRssMiB.toFixed(0)} (compiled, plain node), peak during 200 × 32 MiB ${peak.bootlab200.toFixed(0)}, during ${SCALE} ${peak.bootlabScale.toFixed(0)}, VmHWM ${bootlabPeakHwm.toFixed(0)}; nginx (master + worker) idle ${nginxIdle.toFixed(0)}, peak ${peak.nginx200.toFixed(0)} / ${peak.nginxScale.toFixed(0)}`,
    );
    for (const p of profiles) console.log(`  profile: ${p}`);
    const out = {
      area: 'http',
      date: new Date().toISOString(),
      setup: {
        client: 'curl',
        bigFileBytes: BIG_SIZE,
        concurrent: CONCURRENT,
        concurrentFileBytes: SMALL_SIZE,
        scale: SCALE,
        scaleFileBytes: SCALE_SIZE,
        rounds: ROUNDS,
        nginxWorkers: 1,
      },
      rounds: {
        single: Object.fromEntries(singles),
        concurrent: Object.fromEntries(concs),
        scale: Object.fromEntries(scales),
      },
      rss: { bootlabIdleMiB: idleRssMiB, nginxIdleMiB: nginxIdle, ...peak, bootlabPeakHwm },
      ratios: {
        single: ratioSpread(
          singles.get('bootlab')!.map((m) => m.mbPerSecond),
          singles.get('nginx')!.map((m) => m.mbPerSecond),
        ),
        concurrent: concs.get('bootlab')?.length
          ? ratioSpread(
              concs.get('bootlab')!.map((m) => m.mbPerSecond),
              concs.get('nginx')!.map((m) => m.mbPerSecond),
            )
          : null,
      },
      profiles,
    };
    writeFileSync(join(outDir, 'http.json'), JSON.stringify(out, null, 2) + '\n');
    const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'http.json'), JSON.stringify(out, null, 2) + '\n');
  } finally {
    for (const s of running) await stopChild(s.child);
    for (const s of running) s.cpu.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Profiled Bootlab processes (one per hot path); the .cpuprofile files land in the bench output folder. */
async function profile(root: string, dir: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const p of ['http-single', 'http-concurrent']) {
    const s = await startNode('bootlab-prof', CHILD_ENV, { root, dir }, [
      '--cpu-prof',
      '--cpu-prof-interval=250',
      `--cpu-prof-dir=${outDir}`,
      `--cpu-prof-name=${p}.cpuprofile`,
    ]);
    try {
      if (p === 'http-single') await single(s);
      else await parallel(s, 'small.img', SMALL_SIZE, CONCURRENT);
    } finally {
      await stopChild(s.child);
      s.cpu.remove();
    }
    written.push(join(outDir, `${p}.cpuprofile`));
  }
  return written;
}

/** Floor mode: the least a Node HTTP file server does (no routing, no tracking, no conditional GET). */
async function floorChild(spec: { root: string; port: number }): Promise<void> {
  const { createServer: createHttp } = await import('node:http');
  const { createReadStream, statSync } = await import('node:fs');
  const server = createHttp((req, res) => {
    const path = join(spec.root, (req.url ?? '/').split('?')[0]!.replace(/^\/+/, ''));
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
    createReadStream(path, { highWaterMark: FLOOR_CHUNK }).pipe(res);
  });
  server.listen(spec.port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}

if (process.env[FLOOR_ENV])
  void floorChild(JSON.parse(process.env[FLOOR_ENV]) as { root: string; port: number });

/** Child mode: run the real HttpService on the given port until killed (spawned by startBootlab). */
async function child(spec: { root: string; dir: string; port: number }): Promise<void> {
  const { EventBus } = await import('../services/core/bus.js');
  const { createLogger } = await import('../services/core/logger.js');
  const { Runtime } = await import('../services/core/runtime.js');
  const { profileSchema } = await import('../services/profile.js');
  const { HttpService } = await import('../services/http/service.js');
  const bus = new EventBus();
  let events = 0;
  bus.on('http.download', () => events++); // a listener, as the stats module will be
  const service = new HttpService();
  await service.start({
    profile: profileSchema.parse({ http: { port: spec.port } }),
    bus,
    log: createLogger(bus, 'bench', { quiet: true }),
    network: {
      iface: { name: 'lo', mac: null, up: true, ipv4: [], internal: true },
      address: '127.0.0.1',
      netmask: '255.0.0.0',
    },
    bootRoot: spec.root,
    dataDir: spec.dir,
    runtime: new Runtime(),
  });
  process.on('SIGTERM', () => {
    void service.stop().then(() => process.exit(0));
  });
}

if (process.env[CHILD_ENV])
  void child(JSON.parse(process.env[CHILD_ENV]) as { root: string; dir: string; port: number });
