import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../services/core/bus.js';
import { Runtime } from '../../../services/core/runtime.js';
import { ClientSessions } from '../../../services/stats/sessions.js';
import { SessionStore } from '../../../services/stats/session-store.js';
import type { SyslogLineEvent } from '../../../services/shared/events.js';

const MAC = '52:54:00:12:34:56';
const IP = '10.77.0.101';

function setup(dir: string, opts: { maxSessions?: number; hotLimit?: number } = {}) {
  const bus = new EventBus();
  const store = new SessionStore({ path: join(dir, 'sessions.sqlite'), maxSessions: opts.maxSessions });
  const sessions = new ClientSessions(bus, new Runtime(), { store, hotLimit: opts.hotLimit });
  const syslog = (text: string, from = IP, severity = 6) =>
    bus.emit('syslog.line', {
      from,
      severity,
      facility: 0,
      hostname: 'pc01.lab.example',
      tag: 'ipxe',
      text,
    } satisfies SyslogLineEvent);
  return { bus, store, sessions, syslog };
}

const ack = (isIpxe: boolean, mac = MAC, ip = IP) => ({
  mac,
  ip,
  xid: 1,
  messageType: 'ACK',
  arch: 0,
  isIpxe,
  mode: 'full' as const,
});

test('a BIOS boot: every stage timestamped, files and syslog lines kept, and all of it survives a restart', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-sessions-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let { bus, sessions, syslog } = setup(dir);
  bus.emit('dhcp.ack', ack(false));
  const tftp = {
    id: 't1',
    client: `${IP}:2070`,
    file: 'undionly.kpxe',
    size: 74213,
    blksize: 1432,
    windowsize: 8,
    retransmits: 0,
    durationMs: 100,
    bytesPerSecond: 742130,
  };
  bus.emit('tftp.transfer', { ...tftp, phase: 'start', bytesSent: 0 });
  bus.emit('tftp.transfer', { ...tftp, phase: 'end', bytesSent: 74213, result: 'ok' });
  bus.emit('dhcp.ack', ack(true));
  syslog(' ok');
  const http = { id: 'h1', client: IP, method: 'GET', status: 200, durationMs: 2, bytesPerSecond: 1 };
  bus.emit('http.download', {
    ...http,
    phase: 'end',
    path: '/boot.ipxe',
    bytesSent: 900,
    total: 900,
    result: 'completed',
  });
  syslog('http://10.77.0.1/boot.ipxe... ok');
  bus.emit('http.checkin', {
    client: IP,
    mac: MAC,
    event: 'menu',
    details: { manufacturer: 'QEMU', product: 'Standard PC', serial: 'S123', platform: 'pcbios' },
  });
  bus.emit('http.download', {
    ...http,
    id: 'h2',
    phase: 'start',
    path: '/vmlinuz',
    bytesSent: 0,
    total: 3_000_000,
  });
  bus.emit('http.download', {
    ...http,
    id: 'h2',
    phase: 'progress',
    path: '/vmlinuz',
    bytesSent: 1_000_000,
    total: 3_000_000,
    bytesPerSecond: 500_000,
  });
  let s = sessions.get(MAC)!;
  assert.equal(s.stage, 'kernel');
  assert.equal(s.download?.etaSeconds, 4);
  bus.emit('http.download', {
    ...http,
    id: 'h2',
    phase: 'end',
    path: '/vmlinuz',
    bytesSent: 3_000_000,
    total: 3_000_000,
    result: 'completed',
  });
  syslog('http://10.77.0.1/vmlinuz... 69%Downloaded "vmlinuz"');
  syslog(' ok');
  bus.emit('http.checkin', { client: IP, mac: MAC, event: 'booting', entry: 'linux', details: {} });
  s = sessions.get(MAC)!;
  assert.equal(s.stage, 'handed-over');
  assert.deepEqual(Object.keys(s.stageTimes!), [
    'dhcp',
    'first-stage',
    'ipxe',
    'script',
    'menu',
    'kernel',
    'handed-over',
  ]);
  assert.equal(s.make, 'QEMU');
  assert.equal(s.model, 'Standard PC');
  assert.equal(s.serial, 'S123');
  assert.equal(s.hostname, 'pc01');
  sessions.close();

  ({ bus, sessions, syslog } = setup(dir));
  const again = sessions.get(MAC)!;
  assert.equal(again.stage, 'handed-over');
  const files = sessions.files(MAC);
  assert.deepEqual(
    files.map((f) => [f.protocol, f.name, f.result]),
    [
      ['tftp', 'undionly.kpxe', 'ok'],
      ['http', '/boot.ipxe', 'ok'],
      ['syslog', 'http://10.77.0.1/boot.ipxe', 'ok'],
      ['http', '/vmlinuz', 'ok'],
      ['syslog', 'http://10.77.0.1/vmlinuz', 'ok'],
    ],
  );
  const timeline = sessions.timeline(MAC);
  assert.ok(
    timeline.some(
      (e) => e.kind === 'syslog' && e.raw === '<6>pc01.lab.example ipxe: http://10.77.0.1/boot.ipxe... ok',
    ),
  );
  assert.ok(timeline.some((e) => e.text === 'Stage: handed-over'));
  sessions.close();
});

test('syslog failures mark the machine failed with the reason and the ipxe.org link', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-sessions-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bus, sessions, syslog } = setup(dir);
  bus.emit('dhcp.ack', ack(true));
  syslog('http://10.77.0.1:8080/missing.img... Not found (https://ipxe.org/2d0c6102)');
  let s = sessions.get(MAC)!;
  assert.equal(s.stage, 'failed');
  assert.match(s.error!, /missing\.img: Not found/);
  assert.equal(s.errorLink, 'https://ipxe.org/2d0c6102');
  syslog('http://10.77.0.1:8080/vmlinuz... ok'); // a retry that works clears the failure
  assert.equal(sessions.get(MAC)!.stage, 'kernel');
  syslog('Could not select: Exec format error (https://ipxe.org/2e008008)');
  s = sessions.get(MAC)!;
  assert.equal(s.stage, 'failed');
  assert.equal(s.errorLink, 'https://ipxe.org/2e008008');
  syslog('PEERMUX 0x444668 downloaded 23/46 from 1 peers');
  assert.deepEqual(sessions.get(MAC)!.peerdist, {
    fromPeers: 23,
    blocks: 46,
    peers: 1,
    percentFromPeers: 50,
  });
  sessions.close();
});

test('an IP-only session (syslog before the lease) merges into the MAC session with its rows', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-sessions-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bus, sessions, syslog } = setup(dir);
  syslog('http://10.77.0.1/boot.ipxe... ok');
  assert.equal(sessions.list()[0]!.key, `ip:${IP}`);
  bus.emit('dhcp.ack', ack(true));
  assert.deepEqual(
    sessions.list().map((s) => s.key),
    [MAC],
  );
  assert.ok(sessions.timeline(MAC).some((e) => e.kind === 'syslog'));
  sessions.close();
});

test('bounded: 10,000 stored sessions with a small hot set, retention drops the oldest, pushes coalesce', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-sessions-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bus, sessions, syslog } = setup(dir, { maxSessions: 10_000, hotLimit: 200 });
  let pushed = 0;
  bus.on('client.session', () => pushed++);
  for (let i = 0; i < 10_050; i++) {
    const mac = `52:54:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    bus.emit('dhcp.ack', ack(false, mac, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
  }
  assert.equal(sessions.count(), 10_000);
  await new Promise((r) => setTimeout(r, 400));
  // 200 machines each sending 20 lines within one push interval: at most one push per machine.
  pushed = 0;
  for (let r = 0; r < 20; r++) for (let i = 0; i < 200; i++) syslog(`line ${r}`, `10.0.0.${i}`);
  await new Promise((r) => setTimeout(r, 400));
  assert.ok(pushed <= 400, `pushed ${pushed}`);
  assert.ok(pushed >= 200);
  sessions.close();
});
