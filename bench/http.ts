// HTTP boot server benchmark: Bootlab's HttpService next to nginx, same files, same client (curl), same run.
//   1. one 1 GiB download (single stream throughput)
//   2. 200 concurrent downloads of a 32 MiB file (curl --parallel, aggregate throughput)
// Both servers run as child processes on 127.0.0.1 high ports, one worker each (Bootlab's HTTP server is one
// Node event loop, so nginx gets worker_processes 1 too). Peak RSS is the kernel's VmHWM of each server
// process (nginx: master + worker). Bounded: fixed sizes, 3 alternating rounds, best kept; files in a temp dir.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const BIG_SIZE = 1 * GiB;
const SMALL_SIZE = 32 * MiB;
const CONCURRENT = 200;
const ROUNDS = 3;
const CHILD_ENV = 'BOOTLAB_HTTP_BENCH_CHILD';

interface Measure {
  seconds: number;
  bytes: number;
  mbPerSecond: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 16 * MiB }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

/** Peak resident set (VmHWM, kB) of a process and its direct children (nginx workers). */
function peakRssKb(pid: number): number {
  const hwm = (p: number): number => {
    try {
      return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  let total = hwm(pid);
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean))
      total += hwm(Number(c));
  } catch {
    /* no children file: master only */
  }
  return total;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
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

async function single(base: string): Promise<Measure> {
  const t0 = process.hrtime.bigint();
  const out = await exec('curl', [
    '-sS',
    '--fail',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download}',
    `${base}/big.img`,
  ]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (Number(out) !== BIG_SIZE) throw new Error(`1 GiB download from ${base}: got ${out} bytes`);
  return { seconds, bytes: BIG_SIZE, mbPerSecond: BIG_SIZE / MiB / seconds };
}

async function concurrent(base: string): Promise<Measure> {
  const args = [
    '-sS',
    '--parallel',
    '--parallel-max',
    String(CONCURRENT),
    '--parallel-immediate',
    '-w',
    '%{http_code} %{size_download}\n',
  ];
  for (let i = 0; i < CONCURRENT; i++) args.push(`${base}/small.img?i=${i}`, '-o', '/dev/null');
  const t0 = process.hrtime.bigint();
  const out = await exec('curl', args);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = out.trim().split('\n');
  const good = lines.filter((l) => l === `200 ${SMALL_SIZE}`).length;
  if (good !== CONCURRENT) throw new Error(`${base}: only ${good}/${CONCURRENT} downloads completed in full`);
  const bytes = SMALL_SIZE * CONCURRENT;
  return { seconds, bytes, mbPerSecond: bytes / MiB / seconds };
}

function best(ms: Measure[]): Measure {
  return ms.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

async function startBootlab(root: string, dir: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify({ root, dir, port }) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port, child);
  return { base: `http://127.0.0.1:${port}`, child };
}

async function startNginx(root: string, dir: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const prefix = join(dir, 'nginx');
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
  sendfile on;
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
  await waitForPort(port, child);
  return { base: `http://127.0.0.1:${port}`, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function makeFiles(root: string): string {
  // 1 GiB from a repeated 16 MiB random block (incompressible, quick to write), plus the 32 MiB file.
  const block = randomBytes(16 * MiB);
  const hash = createHash('sha256');
  const fd = openSync(join(root, 'big.img'), 'w');
  for (let written = 0; written < BIG_SIZE; written += block.length) {
    writeSync(fd, block);
    hash.update(block);
  }
  closeSync(fd);
  writeFileSync(join(root, 'small.img'), Buffer.concat([block, block]).subarray(0, SMALL_SIZE));
  return hash.digest('hex');
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-bench-http-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'root');
  mkdirSync(root, { mode: 0o755 });
  const children: ChildProcess[] = [];
  try {
    const bigSha = makeFiles(root);
    const results: Record<
      string,
      { single: Measure; concurrent: Measure; idleRssMb: number; peakRssMb: number }
    > = {};
    // Both servers run side by side and the rounds alternate between them, so a busy moment on the machine
    // (2 cores, other work) hits both alike rather than one of them.
    const servers = [
      { name: 'bootlab', ...(await startBootlab(root, dir)) },
      { name: 'nginx', ...(await startNginx(root, dir)) },
    ];
    children.push(...servers.map((s) => s.child));
    const idle = new Map(servers.map((s) => [s.name, peakRssKb(s.child.pid!)]));
    for (const s of servers) {
      if ((await downloadSha(`${s.base}/big.img`)) !== bigSha)
        throw new Error(`${s.name} sent different bytes for big.img`);
    }
    const singles = new Map<string, Measure[]>(servers.map((s) => [s.name, []]));
    const concs = new Map<string, Measure[]>(servers.map((s) => [s.name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 === 0 ? servers : [...servers].reverse())
        singles.get(s.name)!.push(await single(s.base));
      for (const s of r % 2 === 0 ? servers : [...servers].reverse())
        concs.get(s.name)!.push(await concurrent(s.base));
    }
    for (const s of servers) {
      results[s.name] = {
        single: best(singles.get(s.name)!),
        concurrent: best(concs.get(s.name)!),
        idleRssMb: Math.round(idle.get(s.name)! / 1024),
        peakRssMb: Math.round(peakRssKb(s.child.pid!) / 1024),
      };
    }
    for (const s of servers) await stopChild(s.child);
    const b = results['bootlab']!;
    const n = results['nginx']!;
    const row = (label: string, bv: number, nv: number, unit: string): string =>
      `${label.padEnd(34)} ${bv.toFixed(0).padStart(9)} ${nv.toFixed(0).padStart(9)} ${unit.padEnd(5)} ${(bv / nv).toFixed(2).padStart(6)}`;
    console.log(
      `${'HTTP (loopback, curl client)'.padEnd(34)} ${'Bootlab'.padStart(9)} ${'nginx'.padStart(9)} ${'unit'.padEnd(5)} ${'ratio'.padStart(6)}`,
    );
    console.log(row('1 GiB download', b.single.mbPerSecond, n.single.mbPerSecond, 'MiB/s'));
    console.log(
      row(`${CONCURRENT} x 32 MiB concurrent`, b.concurrent.mbPerSecond, n.concurrent.mbPerSecond, 'MiB/s'),
    );
    console.log(row('RSS of the server, idle', b.idleRssMb, n.idleRssMb, 'MiB'));
    console.log(row('peak RSS of the server', b.peakRssMb, n.peakRssMb, 'MiB'));
    console.log(
      `(ratio = Bootlab / nginx; above 1 is better for throughput, worse for RSS; best of ${ROUNDS} rounds, alternating)`,
    );
    const out = {
      area: 'http',
      date: new Date().toISOString(),
      setup: {
        client: 'curl',
        bigFileBytes: BIG_SIZE,
        concurrent: CONCURRENT,
        concurrentFileBytes: SMALL_SIZE,
        rounds: ROUNDS,
        nginxWorkers: 1,
      },
      bootlab: b,
      nginx: n,
      ratios: {
        singleThroughput: b.single.mbPerSecond / n.single.mbPerSecond,
        concurrentThroughput: b.concurrent.mbPerSecond / n.concurrent.mbPerSecond,
        peakRss: b.peakRssMb / n.peakRssMb,
      },
    };
    const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'http.json'), JSON.stringify(out, null, 2) + '\n');
  } finally {
    for (const c of children) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  }
}

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
