// Memory of the services host, the process `bootlab serve` runs (and Electron spawns): compiled as the built
// app is (esbuild bundle, plain node, no tsx), started on loopback with TFTP and HTTP, no DHCP.
//   - idle RSS a few seconds after start, next to a bare `node` process (Node's own floor on this machine);
//   - peak RSS while 100 TFTP clients (atftp, 4 MiB, blksize 1468) and then 200 HTTP downloads (curl,
//     32 MiB each) run against it.
// Results: bench/results/host.json and os.tmpdir()/bootlab-bench/<date>/host.json.
// Env: BOOTLAB_BENCH_HOST_TFTP (100), BOOTLAB_BENCH_HOST_HTTP (200).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/ports.js';
import { benchOutDir, bundleEntry, CpuMeter, peakRssMiB, processRssMiB, rssSampler } from './common.js';

const MiB = 1024 ** 2;
const TFTP_CLIENTS = Number(process.env.BOOTLAB_BENCH_HOST_TFTP ?? 100);
const HTTP_CLIENTS = Number(process.env.BOOTLAB_BENCH_HOST_HTTP ?? 200);
/** Extra node flags for the host, e.g. "--max-semi-space-size=1" (to see what V8's young generation costs). */
const NODE_ARGS = (process.env.BOOTLAB_BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function idleRss(child: ChildProcess, settleMs: number): Promise<number> {
  await sleep(settleMs);
  return processRssMiB(child.pid!);
}

function tftpClients(port: number, dir: string): Promise<number> {
  const jobs = Array.from(
    { length: TFTP_CLIENTS },
    (_, i) =>
      new Promise<boolean>((resolve) => {
        const out = join(dir, `t-${i}`);
        const p = spawn(
          'atftp',
          [
            '--tftp-timeout',
            '1',
            '--option',
            'blksize 1468',
            '-g',
            '-r',
            'four.bin',
            '-l',
            out,
            '127.0.0.1',
            String(port),
          ],
          { stdio: 'ignore' },
        );
        const t = setTimeout(() => p.kill('SIGKILL'), 120_000);
        p.on('exit', (code) => {
          clearTimeout(t);
          let ok = code === 0;
          try {
            ok = ok && statSync(out).size === 4 * MiB;
          } catch {
            ok = false;
          }
          rmSync(out, { force: true });
          resolve(ok);
        });
      }),
  );
  return Promise.all(jobs).then((r) => r.filter(Boolean).length);
}

function httpClients(port: number): Promise<number> {
  const args = [
    '-sS',
    '--parallel',
    '--parallel-max',
    String(HTTP_CLIENTS),
    '--parallel-immediate',
    '-w',
    '%{http_code} %{size_download}\n',
  ];
  for (let i = 0; i < HTTP_CLIENTS; i++)
    args.push(`http://127.0.0.1:${port}/big.bin?i=${i}`, '-o', '/dev/null');
  return new Promise((resolve) =>
    execFile('curl', args, { maxBuffer: 16 * MiB }, (_err, out) =>
      resolve(
        String(out)
          .trim()
          .split('\n')
          .filter((l) => l === `200 ${32 * MiB}`).length,
      ),
    ),
  );
}

export async function run(): Promise<void> {
  const outDir = benchOutDir();
  const cli = bundleEntry(fileURLToPath(new URL('../services/cli.ts', import.meta.url)), 'host-cli');
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-bench-host-'));
  chmodSync(dir, 0o755);
  const root = join(dir, 'boot');
  mkdirSync(root, { mode: 0o755 });
  writeFileSync(join(root, 'four.bin'), randomBytes(4 * MiB));
  writeFileSync(join(root, 'big.bin'), Buffer.concat(Array.from({ length: 8 }, () => randomBytes(4 * MiB))));
  const children: ChildProcess[] = [];
  try {
    const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(bare);
    const bareRss = await idleRss(bare, 3000);
    await stop(bare);

    const tftpPort = await freePort('udp');
    const httpPort = await freePort('tcp');
    const host = spawn(
      process.execPath,
      [
        ...NODE_ARGS,
        cli,
        'serve',
        '--data-dir',
        join(dir, 'data'),
        '--boot-root',
        root,
        '--ui-port',
        '0',
        '--interface',
        'lo',
        '--services',
        'tftp,http',
        '--dhcp',
        'off',
        '--tftp-port',
        String(tftpPort),
        '--http-port',
        String(httpPort),
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(host);
    const cpu = new CpuMeter(host.pid!, 'host');
    let ready = false;
    host.stdout!.on('data', (d: Buffer) => {
      if (/ready/i.test(d.toString())) ready = true;
    });
    for (let i = 0; i < 600 && !ready; i++) await sleep(100);
    if (!ready) throw new Error('the services host did not start');
    const hostIdle = await idleRss(host, 5000);
    const cpu0 = cpu.ms();
    const tftpSampler = rssSampler(host.pid!, 50, { withChildren: false });
    const tftpOk =
      spawnSync('sh', ['-c', 'command -v atftp']).status === 0 ? await tftpClients(tftpPort, dir) : -1;
    const tftpPeak = tftpSampler.stop();
    const cpu1 = cpu.ms();
    const httpSampler = rssSampler(host.pid!, 50, { withChildren: false });
    const httpOk = await httpClients(httpPort);
    const httpPeak = httpSampler.stop();
    const cpu2 = cpu.ms();
    const hwm = peakRssMiB(host.pid!);
    await stop(host);
    cpu.remove();
    const tftpCpuMs = cpu1 - cpu0;
    const httpCpuMs = cpu2 - cpu1;

    console.log(
      `services host (compiled, plain node${NODE_ARGS.length ? ' ' + NODE_ARGS.join(' ') : ''}; TFTP + HTTP on loopback), RSS in MiB:`,
    );
    console.log(`  bare node process (the floor)               ${bareRss.toFixed(0)}`);
    console.log(`  host idle, 5 s after start                  ${hostIdle.toFixed(0)}`);
    console.log(
      `  peak during ${TFTP_CLIENTS} TFTP clients × 4 MiB (${tftpOk} ok)  ${tftpPeak.toFixed(0)}   (host CPU ${tftpCpuMs.toFixed(0)} ms)`,
    );
    console.log(
      `  peak during ${HTTP_CLIENTS} HTTP downloads × 32 MiB (${httpOk} ok)  ${httpPeak.toFixed(0)}   (host CPU ${httpCpuMs.toFixed(0)} ms)`,
    );
    console.log(`  VmHWM (highest ever)                        ${hwm.toFixed(0)}`);
    const out = {
      date: new Date().toISOString(),
      bareRss,
      hostIdle,
      tftpClients: TFTP_CLIENTS,
      tftpOk,
      tftpPeak,
      tftpCpuMs,
      httpCpuMs,
      nodeArgs: NODE_ARGS,
      httpClients: HTTP_CLIENTS,
      httpOk,
      httpPeak,
      hwm,
    };
    writeFileSync(join(outDir, 'host.json'), JSON.stringify(out, null, 2) + '\n');
    const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'host.json'), JSON.stringify(out, null, 2) + '\n');
  } finally {
    for (const c of children) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}
