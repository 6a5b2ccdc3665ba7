/**
 * Load: 200 simulated machines (each its own loopback source address 127.0.0.N) send iPXE syslog lines and
 * download a file over HTTP from a real `bootlab serve`, while a UI-like client listens on the event
 * WebSocket. The pushed updates stay bounded in rate: batches at most ~10 a second, and at most a few
 * `client.session` updates per machine per second however many lines each machine sends.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { freePort } from '../../helpers/ports.js';
import {
  eventProtocols,
  eventsUrl,
  startBootlab,
  type RunningBootlab,
} from '../../helpers/bootlab-process.js';
import { waitFor } from '../../helpers/netns.js';
import type { EventsMessage } from '../../../services/api/contract.js';

const MACHINES = 200;
const LINES_PER_MACHINE = 20;
let app: RunningBootlab;
let dataDir: string;
let syslogPort: number;
let httpPort: number;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-stats-load-'));
  mkdirSync(join(dataDir, 'boot'));
  writeFileSync(join(dataDir, 'boot', 'vmlinuz'), Buffer.alloc(256 * 1024, 7));
  syslogPort = await freePort('udp');
  httpPort = await freePort('tcp');
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--services', 'syslog,http'],
    ...['--syslog-port', String(syslogPort), '--http-port', String(httpPort), '--ui-port', '0', '--quiet'],
  ]);
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const source = (i: number) => `127.0.${1 + (i >> 8)}.${(i & 255) + 1}`;

test(
  '200 machines: pushed updates stay bounded in rate, every machine gets a session',
  { timeout: 120_000 },
  async (t) => {
    const ws = new WebSocket(eventsUrl(app), eventProtocols(app.token));
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const batches: number[] = [];
    const sessionUpdates = new Map<string, number>();
    ws.on('message', (data) => {
      batches.push(Date.now());
      const msg = JSON.parse(String(data)) as EventsMessage;
      for (const e of msg.events)
        if (e.type === 'client.session') {
          const key = (e.payload as { key: string }).key;
          sessionUpdates.set(key, (sessionUpdates.get(key) ?? 0) + 1);
        }
    });

    const started = Date.now();
    const senders = await Promise.all(
      Array.from({ length: MACHINES }, (_, i) => {
        const s = createSocket('udp4');
        return new Promise<ReturnType<typeof createSocket>>((res) => s.bind(0, source(i), () => res(s)));
      }),
    );
    // Each machine: 20 lines over ~2 s, and one HTTP download from its own address.
    const downloads = Array.from(
      { length: MACHINES },
      (_, i) =>
        new Promise<void>((res, rej) => {
          get({ host: '127.0.0.1', port: httpPort, path: '/vmlinuz', localAddress: source(i) }, (r) => {
            r.resume();
            r.on('end', () => res());
          }).on('error', rej);
        }),
    );
    for (let n = 0; n < LINES_PER_MACHINE; n++) {
      for (let i = 0; i < MACHINES; i++)
        senders[i]!.send(`<6>pc${i} ipxe: http://10.77.0.1/file${n}.img... ok`, syslogPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(downloads);
    for (const s of senders) s.close();
    const total = await waitFor(
      'a session for every machine',
      async () => {
        const res = await fetch(`${app.base}/api/clients/page?limit=1`, {
          headers: { 'x-bootlab-token': app.token },
        });
        const { total } = (await res.json()) as { total: number };
        return total >= MACHINES ? total : undefined;
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    ws.close();
    const seconds = (Date.now() - started) / 1000;
    assert.equal(total, MACHINES);
    assert.ok(sessionUpdates.size >= MACHINES, `updates for ${sessionUpdates.size} machines`);
    // Batches: one per ~100 ms flush at most.
    assert.ok(
      batches.length <= Math.ceil(seconds * 11) + 5,
      `${batches.length} batches in ${seconds.toFixed(1)} s`,
    );
    // Per machine: 20 lines + a download, but at most one update per 250 ms push interval.
    const worst = Math.max(...sessionUpdates.values());
    assert.ok(
      worst <= Math.ceil(seconds * 4) + 2,
      `a machine got ${worst} updates in ${seconds.toFixed(1)} s`,
    );
    const all = [...sessionUpdates.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(
      `${batches.length} batches, ${all} session updates (worst machine ${worst}) in ${seconds.toFixed(1)} s`,
    );
    assert.ok(
      all < MACHINES * (LINES_PER_MACHINE + 4),
      `${all} session updates for ${MACHINES * LINES_PER_MACHINE} lines`,
    );
  },
);
