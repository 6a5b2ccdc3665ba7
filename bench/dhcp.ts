/**
 * DHCP benchmark: DORA transactions per second and p50/p99 latency for 500 and 5,000 simulated clients
 * (64 in flight), Bootlab's DHCP server next to dnsmasq (--no-ping, lease limit raised, lease file on) in
 * the same run. Everything runs in two private network namespaces joined by a veth pair; nothing touches
 * the host's interfaces. Results: bench/results/dhcp.json.
 *
 * The simulated clients live in this same file: run with `--dhcp-bench-client <json>` inside the client
 * namespace, they print one JSON result line.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, Netns, netnsUnavailableReason, waitFor } from '../test/helpers/netns.js';
import { startHarness } from '../test/integration/dhcp/lan.js';
import { runFlood } from './dhcp-flood.js';
import {
  decodePacket,
  encodePacket,
  FLAG_BROADCAST,
  ipToBytes,
  clientRequest,
} from '../services/dhcp/codec.js';
import { MSG, OPT, u8 } from '../services/dhcp/options.js';

const here = dirname(fileURLToPath(import.meta.url));
const IN_FLIGHT = 64;
const SIZES = (process.env.BOOTLAB_BENCH_DHCP_SIZES ?? '500,5000').split(',').map(Number);

interface ClientResult {
  clients: number;
  completed: number;
  failed: number;
  retransmits: number;
  /** NAKs received (the client then starts over with a DISCOVER, as a real one does). */
  naks: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

// ---------------------------------------------------------------- simulated clients (client namespace)

function packet(mac: string, xid: number, type: number, extra: [number, Buffer][] = []): Buffer {
  const options: [number, Buffer][] = [
    [OPT.messageType, u8(type)],
    [OPT.paramList, Buffer.from([1, 3, 6, 15, 66, 67])],
    ...extra,
  ];
  return encodePacket(clientRequest(mac, xid, options, { flags: FLAG_BROADCAST }));
}

async function runClients(o: { clients: number; macPrefix: number }): Promise<ClientResult> {
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((r) => sock.bind(68, '0.0.0.0', () => r()));
  sock.setBroadcast(true);
  sock.setRecvBufferSize(4 << 20);
  interface Tx {
    mac: string;
    start: number;
    phase: 'discover' | 'request';
    last: Buffer;
    tries: number;
    timer?: NodeJS.Timeout;
    done: (ok: boolean) => void;
  }
  const pending = new Map<number, Tx>();
  let retransmits = 0;
  let naks = 0;
  const send = (b: Buffer): void => sock.send(b, 67, '255.255.255.255');
  const arm = (xid: number, tx: Tx): void => {
    clearTimeout(tx.timer);
    tx.timer = setTimeout(() => {
      if (++tx.tries > 4) {
        pending.delete(xid);
        tx.done(false);
        return;
      }
      retransmits++;
      send(tx.last);
      arm(xid, tx);
    }, 2000);
  };
  sock.on('message', (buf) => {
    let p;
    try {
      p = decodePacket(buf);
    } catch {
      return;
    }
    const tx = pending.get(p.xid);
    if (!tx || p.op !== 2) return;
    const type = p.options.get(OPT.messageType)?.[0];
    if (tx.phase === 'discover' && type === MSG.OFFER) {
      tx.phase = 'request';
      tx.last = packet(tx.mac, p.xid, MSG.REQUEST, [
        [OPT.requestedIp, ipToBytes(p.yiaddr)],
        [OPT.serverId, p.options.get(OPT.serverId)!],
      ]);
      send(tx.last);
      arm(p.xid, tx);
    } else if (tx.phase === 'request' && type === MSG.NAK) {
      // RFC 2131 §4.4.1: a NAK sends the client back to INIT; the transaction's time keeps running.
      naks++;
      tx.phase = 'discover';
      tx.last = packet(tx.mac, p.xid, MSG.DISCOVER);
      send(tx.last);
      arm(p.xid, tx);
    } else if (tx.phase === 'request' && type === MSG.ACK) {
      clearTimeout(tx.timer);
      pending.delete(p.xid);
      tx.done(true);
    }
  });
  // One batch of `count` clients, IN_FLIGHT at a time; returns the DORA latencies and the failures.
  const batch = async (count: number, prefix: number): Promise<{ latencies: number[]; failed: number }> => {
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next++;
        // Random locally administered MACs: sequential ones hit dnsmasq's hash-then-walk allocation, which offers
        // the same next-free address to every concurrent client and then NAKs all but one (measured: 6,048
        // NAKs for 300 clients); random MACs measure both servers without that pathology.
        const mac = `02:${prefix.toString(16).padStart(2, '0')}:${[...randomBytes(4)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
        let xid = randomBytes(4).readUInt32BE(0);
        while (pending.has(xid)) xid = randomBytes(4).readUInt32BE(0);
        const t0 = performance.now();
        const ok = await new Promise<boolean>((done) => {
          const tx: Tx = {
            mac,
            start: t0,
            phase: 'discover',
            last: packet(mac, xid, MSG.DISCOVER),
            tries: 0,
            done,
          };
          pending.set(xid, tx);
          send(tx.last);
          arm(xid, tx);
        });
        if (ok) latencies.push(performance.now() - t0);
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    return { latencies, failed };
  };
  // Warm-up (not measured): both servers get the same 128 clients first (JIT, caches, first lease writes).
  await batch(128, o.macPrefix | 0x80);
  retransmits = 0;
  naks = 0;
  const started = performance.now();
  const { latencies, failed } = await batch(o.clients, o.macPrefix);
  const seconds = (performance.now() - started) / 1000;
  sock.close();
  latencies.sort((a, b) => a - b);
  const pct = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    clients: o.clients,
    completed: latencies.length,
    failed,
    retransmits,
    naks,
    seconds,
    perSecond: latencies.length / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

// ---------------------------------------------------------------- orchestration (host side)

async function clientRun(ns: Netns, clients: number, macPrefix: number): Promise<ClientResult> {
  const child = ns.spawn(process.execPath, [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--dhcp-bench-client',
    JSON.stringify({ clients, macPrefix }),
  ]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`bench client failed (${code}): ${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as ClientResult;
}

const POOL = { start: '10.77.1.0', end: '10.77.40.255' };

async function withBootlab<T>(srv: Netns, addressCheck: 'off' | 'ping', fn: () => Promise<T>): Promise<T> {
  const data = mkdtempSync(join(tmpdir(), 'bootlab-bench-dhcp-'));
  const h = startHarness(srv, {
    interface: 'eth0',
    bootRoot: data,
    dataDir: data,
    quietEvents: true,
    dhcp: {
      mode: 'full',
      forceFull: true,
      pool: POOL,
      addressCheck,
      leaseSeconds: 3600,
      rateLimitPerMac: 1000,
    },
  });
  try {
    const ready = await h.ready;
    if (!ready.ok) throw new Error(`Bootlab DHCP did not start: ${ready.error.message}`);
    return await fn();
  } finally {
    await h.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

async function withDnsmasq<T>(srv: Netns, fn: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-bench-dnsmasq-'));
  const log = join(dir, 'log');
  const child = srv.spawn('dnsmasq', [
    '--no-daemon',
    '--port=0',
    '--interface=eth0',
    '--bind-interfaces',
    `--dhcp-range=${POOL.start},${POOL.end},1h`,
    '--no-ping',
    '--dhcp-lease-max=100000',
    `--dhcp-leasefile=${join(dir, 'leases')}`,
    '--quiet-dhcp',
    `--log-facility=${log}`,
  ]);
  try {
    await waitFor(
      'dnsmasq',
      () => (existsSync(log) && /IP range/.test(readFileSync(log, 'utf8'))) || undefined,
    );
    return await fn();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const outFile = join(here, 'results', 'dhcp.json');
  mkdirSync(dirname(outFile), { recursive: true });
  const why = netnsUnavailableReason();
  if (why) {
    console.log(`dhcp benchmark skipped: ${why}`);
    writeFileSync(outFile, JSON.stringify({ skipped: why }, null, 2) + '\n');
    return;
  }
  // BOOTLAB_BENCH_DHCP_PARTS=flood runs only the flood row (bench/dhcp-flood.ts), =dora only the DORA rows.
  const parts = (process.env.BOOTLAB_BENCH_DHCP_PARTS ?? 'dora,flood').split(',');
  const flood = parts.includes('flood') ? await runFlood() : undefined;
  if (!parts.includes('dora')) {
    writeFileSync(outFile, JSON.stringify({ flood, time: new Date().toISOString() }, null, 2) + '\n');
    return;
  }
  const srv = Netns.create('blbsrv');
  const cl = Netns.create('blbcl');
  const rows: (ClientResult & { server: string })[] = [];
  try {
    connect(srv, '10.77.0.1/18', cl, '10.77.63.200/18');
    cl.run('ip', ['route', 'add', '255.255.255.255/32', 'dev', 'eth0']);
    let prefix = 1;
    for (const n of SIZES) {
      rows.push({ server: 'bootlab', ...(await withBootlab(srv, 'off', () => clientRun(cl, n, prefix++))) });
      rows.push({ server: 'dnsmasq', ...(await withDnsmasq(srv, () => clientRun(cl, n, prefix++))) });
    }
    // The cost of Bootlab's default address check (one 1-second ping per new address, run in parallel).
    rows.push({
      server: 'bootlab (ping check)',
      ...(await withBootlab(srv, 'ping', () => clientRun(cl, 500, prefix++))),
    });
  } finally {
    srv.destroy();
    cl.destroy();
  }
  const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log('server                 clients  DORA/s   p50 ms   p99 ms  failed  retransmits  NAKs');
  for (const r of rows) {
    console.log(
      `${r.server.padEnd(22)} ${String(r.clients).padStart(7)} ${fmt(r.perSecond, 0).padStart(7)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${String(r.failed).padStart(7)} ${String(r.retransmits).padStart(12)} ${String(r.naks).padStart(5)}`,
    );
  }
  const ratios = SIZES.map((n) => {
    const b = rows.find((r) => r.server === 'bootlab' && r.clients === n)!;
    const d = rows.find((r) => r.server === 'dnsmasq' && r.clients === n)!;
    return { clients: n, throughput: b.perSecond / d.perSecond, p50: b.p50 / d.p50, p99: b.p99 / d.p99 };
  });
  for (const r of ratios) {
    console.log(
      `ratio bootlab/dnsmasq at ${r.clients}: throughput ${fmt(r.throughput, 2)}x, p50 ${fmt(r.p50, 2)}x, p99 ${fmt(r.p99, 2)}x (lower latency ratio is better)`,
    );
  }
  writeFileSync(
    outFile,
    JSON.stringify({ inFlight: IN_FLIGHT, rows, ratios, flood, time: new Date().toISOString() }, null, 2) +
      '\n',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--dhcp-bench-client') {
    const result = await runClients(JSON.parse(process.argv[3]!) as { clients: number; macPrefix: number });
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    await run();
  }
}
