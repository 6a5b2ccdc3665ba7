import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../services/core/bus.js';
import { Runtime } from '../../../services/core/runtime.js';
import { ClientSessions } from '../../../services/stats/sessions.js';
import { interpretIpxeLine } from '../../../services/stats/ipxe-console.js';

const tftp = (client: string, phase: 'start' | 'end', bytes: number) => ({
  id: 't1',
  phase,
  client,
  file: 'undionly.kpxe',
  size: 74213,
  blksize: 1432,
  windowsize: 8,
  bytesSent: bytes,
  retransmits: 0,
  durationMs: 100,
  bytesPerSecond: 742130,
  ...(phase === 'end' ? { result: 'ok' as const } : {}),
});

test('a BIOS boot moves one session through dhcp → first stage → ipxe → script → kernel → booted', () => {
  const bus = new EventBus();
  const sessions = new ClientSessions(bus, new Runtime());
  const mac = '52:54:00:12:34:56';
  bus.emit('dhcp.ack', {
    mac,
    ip: '10.77.0.101',
    xid: 1,
    messageType: 'ACK',
    arch: 0,
    isIpxe: false,
    mode: 'full',
  });
  bus.emit('tftp.transfer', tftp('10.77.0.101:2070', 'start', 0));
  bus.emit('tftp.transfer', tftp('10.77.0.101:2070', 'end', 74213));
  assert.equal(sessions.list()[0]!.stage, 'first-stage');
  bus.emit('dhcp.ack', {
    mac,
    ip: '10.77.0.101',
    xid: 2,
    messageType: 'ACK',
    arch: 0,
    isIpxe: true,
    mode: 'full',
  });
  bus.emit('http.download', {
    id: 'h1',
    phase: 'end',
    client: '10.77.0.101',
    path: '/boot.ipxe',
    method: 'GET',
    status: 200,
    bytesSent: 900,
    total: 900,
    durationMs: 2,
    bytesPerSecond: 1,
    result: 'completed',
  });
  assert.equal(sessions.list()[0]!.stage, 'script');
  bus.emit('http.download', {
    id: 'h2',
    phase: 'progress',
    client: '10.77.0.101',
    path: '/vmlinuz',
    method: 'GET',
    status: 200,
    bytesSent: 1000,
    total: 5000,
    durationMs: 2,
    bytesPerSecond: 1,
  });
  bus.emit('syslog.line', {
    from: '10.77.0.101',
    facility: 0,
    severity: 5,
    hostname: 'pc01.lab',
    tag: 'ipxe',
    text: 'Executing "vmlinuz"',
  });
  const [s] = sessions.list();
  assert.equal(sessions.list().length, 1, 'TFTP, HTTP and syslog joined the MAC through the lease');
  assert.equal(s!.stage, 'booted');
  assert.equal(s!.mac, mac);
  assert.equal(s!.hostname, 'pc01');
  assert.equal(s!.downloads, 2);
});

test('a session first seen by IP merges into the MAC once DHCP names it', () => {
  const bus = new EventBus();
  const sessions = new ClientSessions(bus, new Runtime());
  bus.emit('syslog.line', {
    from: '10.0.0.9',
    facility: 0,
    severity: 6,
    tag: 'ipxe',
    text: 'http://10.0.0.1/x... ok',
  });
  bus.emit('dhcp.ack', {
    mac: 'AA:BB:CC:00:11:22',
    ip: '10.0.0.9',
    xid: 3,
    messageType: 'ACK',
    isIpxe: true,
    mode: 'proxy',
  });
  assert.equal(sessions.list().length, 1);
  assert.equal(sessions.list()[0]!.mac, 'aa:bb:cc:00:11:22');
});

test('a failed download from iPXE marks the session failed with the error', () => {
  const bus = new EventBus();
  const sessions = new ClientSessions(bus, new Runtime());
  bus.emit('syslog.line', {
    from: '10.0.0.9',
    facility: 0,
    severity: 6,
    tag: 'ipxe',
    text: 'http://10.77.0.1:8080/missing.img... Not found (https://ipxe.org/2d0c6102)',
  });
  assert.equal(sessions.list()[0]!.stage, 'failed');
  assert.match(sessions.list()[0]!.error!, /missing\.img: Not found/);
});

test('iPXE console lines: downloads, errors, PeerDist figures', () => {
  assert.deepEqual(interpretIpxeLine('http://10.77.0.1:8080/boot.ipxe... ok'), {
    kind: 'download',
    url: 'http://10.77.0.1:8080/boot.ipxe',
    name: 'boot.ipxe',
    ok: true,
  });
  const bad = interpretIpxeLine('http://10.77.0.1:8080/missing.img... Not found (https://ipxe.org/2d0c6102)');
  assert.equal(bad.kind, 'download');
  assert.equal(bad.kind === 'download' && bad.ok, false);
  const peer = interpretIpxeLine(
    'http://10.77.0.1:8090/images/ubuntu-24.04.1-live-server-amd64/casper/netboot/amd64/hwe-24.04/vmlinuz... 13% [ 88% from 1 peers]',
  );
  assert.deepEqual('peerdist' in peer && peer.peerdist, { percentFromPeers: 88, peers: 1 });
  assert.deepEqual(interpretIpxeLine('Executing "vmlinuz"'), { kind: 'booting', name: 'vmlinuz' });
  assert.equal(interpretIpxeLine(' ok').kind, 'other');
});
