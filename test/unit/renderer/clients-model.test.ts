import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientSession } from '../../../services/api/contract.js';
import {
  applyClientEvent,
  emptyClients,
  firmwareName,
  snapshotEvents,
  sortedRows,
} from '../../../renderer/src/features/clients/clients-model.js';

const session = (over: Partial<ClientSession>): ClientSession => ({
  key: '52:54:00:12:34:56',
  mac: '52:54:00:12:34:56',
  ip: '10.77.0.100',
  stage: 'kernel',
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:00:05.000Z',
  downloads: 2,
  bytesTotal: 100,
  ...over,
});

test('sessions fold in by key; the newest state of a machine wins', () => {
  let s = snapshotEvents([session({ stage: 'ipxe' })]).reduce(applyClientEvent, emptyClients);
  s = snapshotEvents([session({ stage: 'handed-over', arch: 7 })]).reduce(applyClientEvent, s);
  const rows = sortedRows(s);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.stage, 'handed over');
  assert.equal(rows[0]!.firmware, 'UEFI x64');
});

test('a row first keyed by IP disappears when the MAC session for that IP arrives', () => {
  let s = snapshotEvents([session({ key: 'ip:10.77.0.100', mac: null, stage: 'first-stage' })]).reduce(
    applyClientEvent,
    emptyClients,
  );
  assert.equal(sortedRows(s)[0]!.stage, 'first stage');
  s = snapshotEvents([session({})]).reduce(applyClientEvent, s);
  assert.deepEqual(Object.keys(s.rows), ['52:54:00:12:34:56']);
});

test('download and error map to the table columns; unrelated events change nothing', () => {
  const s = snapshotEvents([
    session({
      error: 'HTTP 404 for /vmlinuz',
      stage: 'failed',
      download: { name: '/vmlinuz', bytes: 0, bytesPerSecond: 0, done: true, via: 'http' },
    }),
  ]).reduce(applyClientEvent, emptyClients);
  const [row] = sortedRows(s);
  assert.equal(row!.problem, 'HTTP 404 for /vmlinuz');
  assert.equal(row!.transfer!.protocol, 'http');
  assert.equal(
    applyClientEvent(s, {
      type: 'log',
      time: '',
      payload: { time: '', level: 'info', source: 'x', message: 'm' },
    }),
    s,
  );
  assert.equal(firmwareName(0), 'BIOS');
  assert.equal(firmwareName(11), 'UEFI ARM64');
});
