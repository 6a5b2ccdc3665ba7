/**
 * Bootlab's syslog receiver over real sockets on loopback: random bytes over UDP and TCP never crash it and
 * are counted as drops by reason; octet-counted TCP frames split across writes, newline-framed TLS
 * (RFC 5425, Bootlab's self-signed certificate) and plain UDP lines all reach the API afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/ports.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { waitFor } from '../../helpers/netns.js';
import type { ClientSession, MachineLogLine, StatsSummary } from '../../../services/api/contract.js';

let app: RunningBootlab;
let port: number;
let dataDir: string;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${app.base}${path}`, { headers: { 'x-bootlab-token': app.token } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()) as T;
}

function rnd(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

function randomBuffer(r: () => number, max: number): Buffer {
  const b = Buffer.alloc(Math.floor(r() * max));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-syslog-'));
  port = await freePort('udp');
  // TLS on: Bootlab makes its self-signed certificate in the data dir.
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      version: 1,
      activeProfile: 'default',
      profiles: { default: { syslog: { tls: { enabled: true } } } },
    }),
  );
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--services', 'syslog', '--quiet'],
    ...['--syslog-port', String(port), '--ui-port', '0'],
  ]);
  await waitFor('syslog running', async () => {
    const s = await api<StatsSummary>('/api/stats/summary');
    return s.syslog ?? undefined;
  });
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test(
  'fuzzing UDP and TCP: no crash, drops counted by reason, valid lines afterwards reach the API',
  { timeout: 60_000 },
  async () => {
    const r = rnd(42);
    const udp = createSocket('udp4');
    for (let i = 0; i < 2000; i++) {
      const b = randomBuffer(r, 600);
      if (i % 3 === 0) b.write('<6>ipxe: ', 0);
      if (i % 20 === 0) await new Promise((w) => setTimeout(w, 2));
      await new Promise<void>((res) => udp.send(b, port, '127.0.0.1', () => res()));
    }
    for (let c = 0; c < 20; c++) {
      await new Promise<void>((res) => {
        const s = tcpConnect(port, '127.0.0.1', () => {
          s.write(randomBuffer(r, 4000));
          s.end();
        });
        s.on('error', () => res());
        s.on('close', () => res());
      });
    }
    // Loopback UDP may lose datagrams on a loaded machine before Bootlab sees them: wait until the count
    // settles rather than for a fixed number.
    let last = -1;
    const fuzzed = await waitFor(
      'drops counted',
      async () => {
        const s = (await api<StatsSummary>('/api/stats/summary')).syslog;
        if (!s || s.received < 500 || s.received !== last) {
          last = s?.received ?? -1;
          await new Promise((r) => setTimeout(r, 300));
          return undefined;
        }
        return s;
      },
      30_000,
    );
    const dropped = Object.values(fuzzed.dropped).reduce((a, b) => a + b, 0);
    assert.ok(dropped > fuzzed.received / 4, JSON.stringify(fuzzed));
    assert.ok(fuzzed.dropped['no-pri']! > 0, JSON.stringify(fuzzed.dropped));

    // A valid iPXE line over UDP.
    // UDP may drop a datagram on a loaded machine: send the line a few times (duplicates are harmless).
    for (let i = 0; i < 3; i++) {
      udp.send('<6>pc01.lab.example ipxe: http://10.77.0.1/boot.ipxe... ok', port, '127.0.0.1');
      await new Promise((w) => setTimeout(w, 100));
    }
    // Octet-counted frames split across writes (RFC 6587 3.4.1), one split inside the length.
    const line = '<6>pc01 ipxe: http://10.77.0.1/vmlinuz... ok';
    const framed = Buffer.from(`${Buffer.byteLength(line)} ${line}`);
    await new Promise<void>((res, rej) => {
      const s = tcpConnect(port, '127.0.0.1', async () => {
        for (const [a, b] of [
          [0, 1],
          [1, 9],
          [9, framed.length],
        ] as const) {
          s.write(framed.subarray(a, b));
          await new Promise((w) => setTimeout(w, 50));
        }
        s.end(res);
      });
      s.on('error', rej);
    });
    // TLS with Bootlab's own certificate (what iPXE gets through TRUST=), newline-framed like iPXE's syslogs.
    const certDir = join(dataDir, 'syslog-tls');
    const ca = readFileSync(
      join(
        certDir,
        readdirSync(certDir).find((f) => f.endsWith('.pem'))!,
      ),
    );
    await new Promise<void>((res, rej) => {
      const s = tlsConnect(
        { host: '127.0.0.1', port, ca, servername: undefined, checkServerIdentity: () => undefined },
        () => {
          s.end('<6>pc01 ipxe: http://10.77.0.1/initrd.img... ok\n', () => res());
        },
      );
      s.on('error', rej);
    });
    udp.close();

    const lines = await waitFor(
      'the three lines in the machine log',
      async () => {
        const log = await api<{ lines: MachineLogLine[] }>(
          `/api/stats/machine-log?machine=${encodeURIComponent('ip:127.0.0.1')}`,
        );
        const texts = log.lines.map((l) => l.text);
        return ['boot.ipxe... ok', 'vmlinuz... ok', 'initrd.img... ok'].every((t) =>
          texts.some((x) => x.endsWith(t)),
        )
          ? texts
          : undefined;
      },
      20_000,
    );
    assert.ok(lines.length >= 3);
    const { clients } = await api<{ clients: ClientSession[] }>('/api/clients/page');
    const me = clients.find((c) => c.key === 'ip:127.0.0.1');
    assert.ok(me, 'a session for the sender');
    assert.equal(me.stage, 'kernel');
    const after = (await api<StatsSummary>('/api/stats/summary')).syslog!;
    assert.ok(after.lines >= 3);
  },
);
