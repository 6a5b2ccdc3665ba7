/**
 * DHCP under a flood: the same bounded flood as test/integration/dhcp/flood.test.ts (20,000 frames in ~10 s,
 * random-MAC DISCOVERs mixed with garbage, from one namespace to the LAN's own server) against Bootlab and
 * dnsmasq, each with a 100-address pool and its default address check. Measured: how long a real busybox
 * udhcpc takes to get a lease while the flood runs (started 3 s in) and right after it. Namespaces only.
 */
import { join, dirname } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Netns, waitFor } from '../test/helpers/netns.js';
import { clientScripts, Lan, runAsync, startHarness, tempDir } from '../test/integration/dhcp/lan.js';

const here = dirname(fileURLToPath(import.meta.url));
const flooderPath = join(here, '..', 'test', 'integration', 'dhcp', 'flooder.ts');
const POOL = { start: '10.77.0.100', end: '10.77.0.199' };

export interface FloodRow {
  server: string;
  /** ms for udhcpc to get a lease while the flood runs; null = none within 30 s. */
  duringMs: number | null;
  afterMs: number | null;
  floodSeconds: number;
}

async function lease(ns: Netns, script: string): Promise<number | null> {
  const start = Date.now();
  const r = await runAsync(
    ns,
    'busybox',
    ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '15', '-T', '2', '-s', script],
    30_000,
  );
  return r.code === 0 ? Date.now() - start : null;
}

async function floodOnce(server: 'bootlab' | 'dnsmasq'): Promise<FloodRow> {
  const lan = Lan.create();
  const srv = Netns.create('blbfs');
  const flood = Netns.create('blbff');
  const c1 = Netns.create('blbfa');
  const c2 = Netns.create('blbfb');
  const scripts = clientScripts();
  const data = tempDir('bootlab-bench-flood-');
  let stop: () => Promise<unknown> = async () => undefined;
  try {
    lan.attach(srv, '10.77.0.1/24');
    lan.attach(flood, '10.77.0.250/24');
    lan.attach(c1, null, 'eth0', '52:54:00:be:00:01');
    lan.attach(c2, null, 'eth0', '52:54:00:be:00:02');
    if (server === 'bootlab') {
      const h = startHarness(srv, {
        interface: 'eth0',
        bootRoot: data.path,
        dataDir: data.path,
        quietEvents: true,
        dhcp: { mode: 'full', forceFull: true, pool: POOL },
      });
      stop = () => h.stop();
      const ready = await h.ready;
      if (!ready.ok) throw new Error(`Bootlab DHCP did not start: ${ready.error.message}`);
    } else {
      const log = join(data.path, 'log');
      const child = srv.spawn('dnsmasq', [
        '--no-daemon',
        '--port=0',
        '--interface=eth0',
        '--bind-interfaces',
        `--dhcp-range=${POOL.start},${POOL.end},1h`,
        `--dhcp-leasefile=${join(data.path, 'leases')}`,
        '--quiet-dhcp',
        `--log-facility=${log}`,
      ]);
      stop = async () => {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      };
      await waitFor(
        'dnsmasq',
        () => (existsSync(log) && /IP range/.test(readFileSync(log, 'utf8'))) || undefined,
      );
    }
    const started = Date.now();
    const flooder = runAsync(
      flood,
      process.execPath,
      [
        '--import',
        'tsx',
        flooderPath,
        JSON.stringify({ frames: 20_000, seconds: 10, bind: '10.77.0.250:6800', to: '10.77.0.255:67' }),
      ],
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const duringMs = await lease(c1, scripts.udhcpc);
    await flooder;
    const floodSeconds = (Date.now() - started) / 1000;
    const afterMs = await lease(c2, scripts.udhcpc);
    return { server, duringMs, afterMs, floodSeconds };
  } finally {
    await stop().catch(() => undefined);
    for (const ns of [c1, c2, flood, srv]) ns.destroy();
    lan.destroy();
    scripts.cleanup();
    data.cleanup();
  }
}

export async function runFlood(): Promise<{ rows: FloodRow[]; ratio: number | null }> {
  const rows = [await floodOnce('bootlab'), await floodOnce('dnsmasq')];
  const ms = (x: number | null): string => (x === null ? 'no lease in 30 s' : `${x} ms`);
  console.log('flood (20,000 frames in ~10 s, 100-address pool): real udhcpc time to lease');
  for (const r of rows)
    console.log(
      `${r.server.padEnd(10)} during the flood: ${ms(r.duringMs).padEnd(16)} after it: ${ms(r.afterMs)}`,
    );
  const [b, d] = rows as [FloodRow, FloodRow];
  const ratio = b.duringMs !== null && d.duringMs !== null ? b.duringMs / d.duringMs : null;
  console.log(
    `ratio bootlab/dnsmasq time to lease during the flood: ${ratio === null ? '-' : ratio.toFixed(2)}x (lower is better)`,
  );
  return { rows, ratio };
}
