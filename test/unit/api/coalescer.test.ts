import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventCoalescer } from '../../../services/api/coalescer.js';
import type { BootlabEvent } from '../../../services/shared/events.js';

const progress = (id: string, bytes: number): BootlabEvent => ({
  type: 'tftp.transfer',
  time: '',
  payload: {
    id,
    phase: 'progress',
    client: 'c',
    file: 'f',
    blksize: 512,
    windowsize: 1,
    bytesSent: bytes,
    retransmits: 0,
    durationMs: 0,
    bytesPerSecond: 0,
  },
});

test('progress of one transfer is coalesced to its newest value within a batch', () => {
  const batches: BootlabEvent[][] = [];
  const c = new EventCoalescer((b) => batches.push(b));
  for (let i = 1; i <= 1000; i++) c.push(progress('a', i));
  c.push(progress('b', 5));
  c.flushNow();
  assert.equal(batches.length, 1);
  assert.equal(batches[0]!.length, 2);
  assert.equal((batches[0]![0]!.payload as { bytesSent: number }).bytesSent, 1000);
});

test('record events (logs, syslog lines) are batched but never dropped', () => {
  const batches: BootlabEvent[][] = [];
  const c = new EventCoalescer((b) => batches.push(b));
  for (let i = 0; i < 50; i++)
    c.push({
      type: 'syslog.line',
      time: '',
      payload: { from: 'x', facility: 0, severity: 6, text: String(i) },
    });
  c.flushNow();
  assert.equal(batches[0]!.length, 50);
});

test('a subject gets at most one update per flush interval (about 10 per second)', async () => {
  const batches: BootlabEvent[][] = [];
  const c = new EventCoalescer((b) => batches.push(b), 100);
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < 350) {
    c.push(progress('a', i++));
    await new Promise((r) => setImmediate(r));
  }
  c.flushNow();
  const updates = batches.flat().length;
  assert.ok(i > 100, 'many events were pushed');
  assert.ok(updates <= 5, `expected at most 5 updates for 350 ms, got ${updates}`);
});
