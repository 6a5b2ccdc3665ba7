import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileCache } from '../../../services/tftp/file-cache.js';
import { withTempDir } from '../../helpers/temp-dir.js';

test('a first stage is read once for many clients asking at once, then served from memory', async () => {
  await withTempDir('tftp-cache-', async (dir) => {
    const file = join(dir, 'undionly.kpxe');
    const data = randomBytes(70_000);
    await writeFile(file, data);
    const cache = new FileCache();
    const st = await stat(file);
    const got = await Promise.all(Array.from({ length: 20 }, () => cache.get(file, st)));
    for (const g of got) assert.ok(g?.equals(data));
    assert.equal(cache.reads, 1);
    assert.ok((await cache.get(file, st))?.equals(data));
    assert.equal(cache.hits, 1);
    assert.equal(cache.bytes, data.length);
  });
});

test('a replaced or edited file is read again, never served stale', async () => {
  await withTempDir('tftp-cache-', async (dir) => {
    const file = join(dir, 'ipxe.efi');
    await writeFile(file, Buffer.alloc(1000, 1));
    const cache = new FileCache();
    assert.equal((await cache.get(file, await stat(file)))?.[0], 1);
    await writeFile(file, Buffer.alloc(1000, 2)); // same size: only mtime (and maybe inode) differ
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    assert.equal((await cache.get(file, await stat(file)))?.[0], 2);
    assert.equal(cache.reads, 2);
    assert.equal(cache.bytes, 1000); // the old version is gone
  });
});

test('big files stay on disk, and the total stays bounded by dropping the least recently used', async () => {
  await withTempDir('tftp-cache-', async (dir) => {
    const cache = new FileCache(1000, 2500);
    const big = join(dir, 'big.iso');
    await writeFile(big, Buffer.alloc(1001));
    assert.equal(await cache.get(big, await stat(big)), undefined);
    const names = ['a', 'b', 'c'].map((n) => join(dir, n));
    for (const n of names) await writeFile(n, Buffer.alloc(1000, n.charCodeAt(n.length - 1)));
    await cache.get(names[0]!, await stat(names[0]!));
    await cache.get(names[1]!, await stat(names[1]!));
    await cache.get(names[0]!, await stat(names[0]!)); // a is now the most recently used
    await cache.get(names[2]!, await stat(names[2]!)); // over 2,500: b goes
    assert.equal(cache.bytes, 2000);
    const readsBefore = cache.reads;
    await cache.get(names[0]!, await stat(names[0]!));
    assert.equal(cache.reads, readsBefore); // a still held
    await cache.get(names[1]!, await stat(names[1]!));
    assert.equal(cache.reads, readsBefore + 1); // b was dropped, read again
  });
});

test('a file that cannot be read comes back undefined (the transfer streams it and reports the error)', async () => {
  await withTempDir('tftp-cache-', async (dir) => {
    const file = join(dir, 'gone.bin');
    await writeFile(file, Buffer.alloc(10));
    const st = await stat(file);
    await rm(file);
    assert.equal(await new FileCache().get(file, st), undefined);
  });
});
