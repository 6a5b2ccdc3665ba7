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
