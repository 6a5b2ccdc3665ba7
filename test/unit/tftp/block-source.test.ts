import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { BlockSource } from '../../../services/tftp/block-source.js';

function chunks(total: number, chunk: number): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < total; off += chunk)
    out.push(Buffer.alloc(Math.min(chunk, total - off), off % 251));
  return out;
}

test('cuts odd-sized chunks into exact blocks; a file of whole blocks ends with an empty block', async () => {
  const src = new BlockSource(Readable.from(chunks(1024, 300)), 512);
  assert.equal((await src.get(1)).length, 512);
  assert.equal((await src.get(2)).length, 512);
  assert.equal((await src.get(3)).length, 0);
  assert.equal(src.last, 3);
  assert.equal(src.bytesRead, 1024);
});

test('an empty file is one empty block', async () => {
  const src = new BlockSource(Readable.from([]), 512);
  assert.equal((await src.get(1)).length, 0);
  assert.equal(src.last, 1);
});

test('retained blocks stay bounded when released (streaming, not whole-file buffering)', async () => {
  const total = 8 * 1024 * 1024;
  const src = new BlockSource(Readable.from(chunks(total, 65536)), 1468);
  let maxRetained = 0;
  const window = 16;
  for (let b = 1; ; b += window) {
    for (let i = b; i < b + window; i++) {
      const blk = await src.get(i);
      if (src.last !== undefined && i >= src.last) break;
      assert.equal(blk.length, 1468);
    }
    maxRetained = Math.max(maxRetained, src.retainedBytes);
    if (src.last !== undefined) break;
    src.release(b + window - 1);
  }
  assert.equal(src.bytesRead, total);
  assert.ok(maxRetained < 16 * 1468 + 2 * 65536, `retained ${maxRetained}`);
});

test('a block can be read again for retransmission until released', async () => {
  const src = new BlockSource(Readable.from(chunks(5000, 5000)), 512);
  const a = await src.get(2);
  assert.deepEqual(await src.get(2), a);
  src.release(2);
  await assert.rejects(src.get(2));
});

test('a read error surfaces from get()', async () => {
  const bad = new Readable({
    read() {
      this.destroy(new Error('disk gone'));
    },
  });
  const src = new BlockSource(bad, 512);
  await assert.rejects(src.get(1), /disk gone/);
});

test('peek cuts blocks at once from bytes already read, and says undefined when a read is needed', async () => {
  const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 253));
  const src = new BlockSource(Readable.from([data.subarray(0, 2000), data.subarray(2000)]), 512);
  assert.equal(src.peek(1), undefined); // nothing read yet
  assert.deepEqual(await src.get(1), data.subarray(0, 512));
  // The first 2,000 bytes are in: blocks 2 and 3 come without waiting, block 4 needs the next chunk.
  assert.deepEqual(src.peek(3), data.subarray(1024, 1536));
  assert.deepEqual(src.peek(2), data.subarray(512, 1024));
  assert.equal(src.peek(4), undefined);
  assert.deepEqual(await src.get(4), data.subarray(1536, 2048));
  assert.deepEqual(src.peek(5), data.subarray(2048, 2560));
  // 440 bytes left: a short block only once the stream has said it ended, which needs a read.
  assert.equal(src.peek(6), undefined);
  assert.deepEqual(await src.get(6), data.subarray(2560, 3000));
  assert.equal(src.last, 6);
  assert.equal(src.peek(7), undefined);
});
