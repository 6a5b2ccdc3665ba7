import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootlabEvent, BootlabEventType } from '../../../services/api/contract.js';
import type { BootlabEventMap } from '../../../services/core/events.js';
import {
  applyClientEvent,
  emptyClients,
  firmwareName,
  hostOf,
  sortedRows,
  type ClientsState,
} from '../../../renderer/src/features/clients/clients-model.js';

let clock = 0;
function ev<T extends BootlabEventType>(type: T, payload: BootlabEventMap[T]): BootlabEvent {
  clock++;
  return { type, time: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(), payload } as BootlabEvent;
}
const run = (events: BootlabEvent[]): ClientsState => events.reduce(applyClientEvent, emptyClients);
const MAC = '52:54:00:12:34:56';
const dhcp = (type: 'dhcp.offer' | 'dhcp.ack', isIpxe: boolean, arch = 7) =>
  ev(type, {
    mac: MAC.toUpperCase(),
    ip: '10.77.0.100',
    xid: 1,
    messageType: type === 'dhcp.ack' ? 'ACK' : 'OFFER',
    arch,
    isIpxe,
    mode: 'full',
  });

test('one machine through a whole boot is one row that moves through the stages', () => {
  const s = run([
    dhcp('dhcp.offer', false),
    dhcp('dhcp.ack', false),
    ev('tftp.transfer', {
      id: 't1',
      phase: 'start',
      client: '10.77.0.100:2070',
      file: 'ipxe.efi',
      size: 1000,
      blksize: 1468,
      windowsize: 16,
      bytesSent: 0,
      retransmits: 0,
      durationMs: 0,
      bytesPerSecond: 0,
    }),
    ev('tftp.transfer', {
      id: 't1',
      phase: 'end',
      client: '10.77.0.100:2070',
      file: 'ipxe.efi',
      size: 1000,
      blksize: 1468,
      windowsize: 16,
      bytesSent: 1000,
      retransmits: 0,
      durationMs: 5,
      bytesPerSecond: 200000,
      result: 'ok',
    }),
    dhcp('dhcp.ack', true),
    ev('http.download', {
      id: 'h1',
      phase: 'end',
      client: '10.77.0.100',
      method: 'GET',
      path: '/boot.ipxe',
      status: 200,
      bytesSent: 300,
      total: 300,
      durationMs: 1,
      bytesPerSecond: 300000,
      result: 'completed',
    }),
    ev('http.download', {
      id: 'h2',
      phase: 'progress',
      client: '10.77.0.100',
      method: 'GET',
      path: '/debian/linux',
      status: 200,
      bytesSent: 500,
      total: 1000,
      durationMs: 1,
      bytesPerSecond: 1e6,
    }),
    ev('syslog.line', {
      from: '10.77.0.100',
      severity: 6,
      facility: 1,
      text: 'http://10.77.0.1/debian/linux... ok',
    }),
  ]);
  const rows = sortedRows(s);
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.mac, MAC);
  assert.equal(row.ip, '10.77.0.100');
  assert.equal(row.firmware, 'UEFI x64');
  assert.equal(row.stage, 'kernel');
  assert.deepEqual(row.transfer, {
    protocol: 'http',
    file: '/debian/linux',
    bytes: 500,
    total: 1000,
    bytesPerSecond: 1e6,
    done: false,
    result: undefined,
  });
  assert.equal(row.lastLine, 'http://10.77.0.1/debian/linux... ok');
  assert.equal(row.problem, undefined);
});

test('lines seen before DHCP join the machine once DHCP names its address', () => {
  const s = run([
    ev('syslog.line', {
      from: '10.77.0.100',
      severity: 3,
      facility: 1,
      text: 'Connection timed out (https://ipxe.org/4c0a6092)',
    }),
    dhcp('dhcp.ack', true),
  ]);
  const rows = sortedRows(s);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.key, MAC);
  assert.match(rows[0]!.problem!, /Connection timed out/);
});

test('failures show as problems; a new DHCP request after a failure starts over', () => {
  let s = run([
    dhcp('dhcp.ack', false),
    ev('tftp.transfer', {
      id: 't',
      phase: 'end',
      client: '10.77.0.100:1',
      file: 'missing.efi',
      blksize: 512,
      windowsize: 1,
      bytesSent: 0,
      retransmits: 0,
      durationMs: 1,
      bytesPerSecond: 0,
      result: 'error',
      error: 'File not found',
    }),
  ]);
  assert.equal(sortedRows(s)[0]!.problem, 'TFTP missing.efi: File not found');
  s = applyClientEvent(s, ev('http.checkin', { client: '10.77.0.100', event: 'failed', details: {} }));
  assert.equal(sortedRows(s)[0]!.stage, 'failed');
  s = applyClientEvent(s, dhcp('dhcp.offer', false));
  assert.equal(sortedRows(s)[0]!.stage, 'dhcp');
});

test('events about other things leave the state untouched', () => {
  const s = run([dhcp('dhcp.ack', false)]);
  assert.equal(applyClientEvent(s, ev('log', { time: '', level: 'info', source: 'x', message: 'y' })), s);
});

test('helpers', () => {
  assert.equal(hostOf('10.0.0.5:2001'), '10.0.0.5');
  assert.equal(hostOf('[fe80::1]:80'), 'fe80::1');
  assert.equal(hostOf('10.0.0.5'), '10.0.0.5');
  assert.equal(firmwareName(0), 'BIOS');
  assert.equal(firmwareName(11), 'UEFI ARM64');
  assert.equal(firmwareName(99), 'architecture 99');
  assert.equal(firmwareName(undefined), undefined);
});
