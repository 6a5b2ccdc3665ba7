// Statistics benchmark (`npm run bench -- stats`), Bootlab next to a reference in the same run:
//   1. syslog lines/s over UDP on loopback without loss: Bootlab's receiver (parse, reassemble, clean,
//      report) vs a bare Node UDP socket that only counts datagrams (the floor of Node's socket path);
//      the rate is raised until a round loses lines, the best lossless rate is reported;
//   2. syslog lines/s over TCP (octet-counted frames, one connection): Bootlab vs a bare socket counting bytes;
//   3. Content Information (MS-PCCRC v1) MiB/s on a 256 MiB file vs `sha256sum` on the same file (ratio);
//   4. hosted-cache blocks/s: GETBLKS → AES-128-CBC MSG_BLK, 32 requests in flight over keep-alive;
//   5. RSS with 10,000 stored sessions (SQLite store, hot set bounded).
// Results: bench/results/stats.json.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyslogFramer } from '../services/syslog/codec.js';
import { SyslogReceiver } from '../services/syslog/server.js';
import { computeContentInformation } from '../services/peerdist/content-information.js';
import { PeerdistRegistry } from '../services/peerdist/registry.js';
import { createHostedCacheServer } from '../services/peerdist/hosted-cache.js';
import { MAGIC_PATH, buildGetBlks } from '../services/peerdist/pccrr.js';
import { EventBus } from '../services/core/bus.js';
import { Runtime } from '../services/core/runtime.js';
import { ClientSessions } from '../services/stats/sessions.js';
import { SessionStore } from '../services/stats/session-store.js';

const LINE = '<6>pc01.lab.example ipxe: http://10.77.0.1:8080/images/ubuntu/casper/vmlinuz... ok';

async function udpRound(
  kind: 'bootlab' | 'bare',
  rate: number,
  seconds: number,
): Promise<{ sent: number; got: number }> {
  const sock = createSocket('udp4');
  let got = 0;
  if (kind === 'bootlab') {
    const r = new SyslogReceiver({ report: () => got++ });
    sock.on('message', (m, ri) => r.ingest(ri.address, m, 'udp'));
  } else sock.on('message', () => got++);
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
  sock.setRecvBufferSize(4 * 1024 * 1024);
  const port = (sock.address() as AddressInfo).port;
  const tx = createSocket('udp4');
  const msg = Buffer.from(LINE);
  const total = rate * seconds;
  const perTick = Math.max(1, Math.round(rate / 200)); // 5 ms ticks
  let sent = 0;
  const t0 = Date.now();
  while (sent < total) {
    for (let i = 0; i < perTick && sent < total; i++, sent++) tx.send(msg, port, '127.0.0.1');
    const due = t0 + (sent / rate) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  }
  await new Promise((r) => setTimeout(r, 300));
  tx.close();
  sock.close();
  return { sent, got };
}

async function bestLosslessUdp(kind: 'bootlab' | 'bare'): Promise<number> {
  let best = 0;
  for (const rate of [10_000, 20_000, 40_000, 60_000, 80_000, 120_000, 160_000]) {
    const { sent, got } = await udpRound(kind, rate, 2);
    if (got < sent) break;
    best = rate;
  }
  return best;
}

async function tcpLinesPerSecond(kind: 'bootlab' | 'bare', lines: number): Promise<number> {
  const frame = Buffer.from(`${Buffer.byteLength(LINE)} ${LINE}`);
  let got = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const server = createTcpServer((s) => {
    if (kind === 'bootlab') {
      const r = new SyslogReceiver({ report: () => ++got === lines && done() });
      const f = new SyslogFramer(8192);
      s.on('data', (d: Buffer) => {
        for (const x of f.push(d).frames) r.ingest('127.0.0.1', x, 'tcp');
      });
    } else {
      let bytes = 0;
      s.on('data', (d: Buffer) => {
        bytes += d.length;
        if (bytes >= frame.length * lines) done();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame));
  const t0 = process.hrtime.bigint();
  const c = connect(port, '127.0.0.1');
  await new Promise<void>((r) => c.once('connect', r));
  for (let i = 0; i < lines / 1000; i++) if (!c.write(batch)) await new Promise((r) => c.once('drain', r));
  await finished;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  c.destroy();
  server.close();
  return Math.round(lines / s);
}

async function hostedCacheBlocksPerSecond(dir: string, seconds: number): Promise<number> {
  writeFileSync(join(dir, 'blocks.img'), randomBytes(64 * 1024 * 1024));
  const registry = new PeerdistRegistry('preload', () => {});
  const info = await registry.contentInformationFor(join(dir, 'blocks.img'), '/blocks.img', '127.0.0.1');
  const { server } = createHostedCacheServer(registry);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const seg = info.segments[0]!;
  let served = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async (w: number): Promise<void> => {
    let block = w;
    while (Date.now() < deadline) {
      const body = buildGetBlks(seg.id, block % seg.blockHashes.length);
      await new Promise<void>((res, rej) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: MAGIC_PATH,
            method: 'POST',
            agent,
            headers: { 'content-length': body.length },
          },
          (r) => {
            r.resume();
            r.on('end', () => res());
          },
        );
        req.on('error', rej);
        req.end(body);
      });
      served++;
      block += 32;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 32 }, (_, i) => worker(i)));
  const rate = Math.round(served / ((Date.now() - t0) / 1000));
  agent.destroy();
  server.close();
  return rate;
}

async function rssWithSessions(dir: string): Promise<{ before: number; after: number; count: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  const bus = new EventBus();
  const store = new SessionStore({ path: join(dir, 'sessions.sqlite') });
  const sessions = new ClientSessions(bus, new Runtime(), { store });
  for (let i = 0; i < 10_000; i++) {
    const mac = `52:54:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    const ip = `10.1.${(i >> 8) & 255}.${i & 255}`;
    bus.emit('dhcp.ack', { mac, ip, xid: i, messageType: 'ACK', arch: 7, isIpxe: true, mode: 'full' });
    for (const t of [' ok', 'http://10.77.0.1/boot.ipxe... ok', 'http://10.77.0.1/vmlinuz... ok'])
      bus.emit('syslog.line', { from: ip, severity: 6, facility: 0, tag: 'ipxe', text: t });
  }
  store.flush();
  gc?.();
  const after = process.memoryUsage().rss;
  const count = sessions.count();
  sessions.close();
  return { before, after, count };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-bench-stats-'));
  const results: Record<string, unknown> = {};
  try {
    const udpBootlab = await bestLosslessUdp('bootlab');
    const udpBare = await bestLosslessUdp('bare');
    console.log(
      `syslog UDP, lossless lines/s: Bootlab ${udpBootlab}, bare socket ${udpBare}, ratio ${(udpBootlab / udpBare).toFixed(2)}`,
    );
    const tcpBootlab = await tcpLinesPerSecond('bootlab', 500_000);
    const tcpBare = await tcpLinesPerSecond('bare', 500_000);
    console.log(
      `syslog TCP (octet-counted), lines/s: Bootlab ${tcpBootlab}, bare socket ${tcpBare}, ratio ${(tcpBootlab / tcpBare).toFixed(2)}`,
    );

    const file = join(dir, 'content.img');
    writeFileSync(file, randomBytes(256 * 1024 * 1024));
    const t0 = process.hrtime.bigint();
    const info = await computeContentInformation(file, randomBytes(32));
    const ciS = Number(process.hrtime.bigint() - t0) / 1e9;
    const t1 = process.hrtime.bigint();
    const sum = spawnSync('sha256sum', [file], { encoding: 'utf8' });
    const shaS = Number(process.hrtime.bigint() - t1) / 1e9;
    if (sum.status !== 0) throw new Error(`sha256sum failed: ${sum.stderr}`);
    const ciMiBs = 256 / ciS;
    const shaMiBs = 256 / shaS;
    console.log(
      `Content Information, 256 MiB (${info.blocks} blocks): ${ciMiBs.toFixed(0)} MiB/s; sha256sum ${shaMiBs.toFixed(0)} MiB/s; ratio ${(ciMiBs / shaMiBs).toFixed(2)}`,
    );
    const blocks = await hostedCacheBlocksPerSecond(dir, 5);
    console.log(
      `hosted cache: ${blocks} blocks/s (64 KiB, AES-128-CBC, 32 in flight) = ${((blocks * 64) / 1024).toFixed(0)} MiB/s`,
    );
    const rss = await rssWithSessions(dir);
    console.log(
      `RSS with ${rss.count} stored sessions: ${(rss.after / 1048576).toFixed(0)} MiB (was ${(rss.before / 1048576).toFixed(0)} MiB before)`,
    );
    Object.assign(results, {
      udpLosslessLinesPerSecond: { bootlab: udpBootlab, bareSocket: udpBare },
      tcpLinesPerSecond: { bootlab: tcpBootlab, bareSocket: tcpBare },
      contentInformationMiBs: { bootlab: ciMiBs, sha256sum: shaMiBs, ratio: ciMiBs / shaMiBs },
      hostedCacheBlocksPerSecond: blocks,
      rss10kSessionsMiB: rss.after / 1048576,
    });
    writeFileSync(
      fileURLToPath(new URL('./results/stats.json', import.meta.url)),
      JSON.stringify(results, null, 2),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
