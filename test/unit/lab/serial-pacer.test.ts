import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SerialPacer, splitKeys } from '../../../services/lab/serial-pacer.js';

test('escape sequences are one key each; plain characters one each', () => {
  assert.deepEqual(splitKeys('ab\x1b[B\r\x1bOP\x1b[15~\x1bx'), [
    'a',
    'b',
    '\x1b[B',
    '\r',
    '\x1bOP',
    '\x1b[15~',
    '\x1b',
    'x',
  ]);
});

test('a burst goes out in order, a few keys per tick, never splitting a sequence', async () => {
  const writes: string[] = [];
  const pacer = new SerialPacer((d) => writes.push(d), 4, 5);
  const line = 'echo keys-ok-${platform}\r';
  pacer.push(line);
  pacer.push('\x1b[A');
  assert.equal(writes.length, 1, 'the first keys go out at once');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(writes.join(''), line + '\x1b[A');
  assert.ok(writes.every((w) => splitKeys(w).length <= 4));
  assert.ok(writes.includes('\x1b[A') || writes.some((w) => w.endsWith('\x1b[A')));
});

test('stop drops what is still queued', async () => {
  const writes: string[] = [];
  const pacer = new SerialPacer((d) => writes.push(d), 2, 5);
  pacer.push('abcdef');
  pacer.stop();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(writes, ['ab']);
});
