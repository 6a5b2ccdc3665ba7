import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeContentInformation } from '../../../services/peerdist/content-information.js';
import { PeerdistRegistry } from '../../../services/peerdist/registry.js';
import { createHostedCacheServer } from '../../../services/peerdist/hosted-cache.js';
import { MAGIC_PATH, buildGetBlks, parseMsgBlk } from '../../../services/peerdist/pccrr.js';
import type { PeerdistEvent } from '../../../services/shared/events.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest();
const B = 65536;
const SEG = 32 * 1024 * 1024;

test('Content Information v1 of a 3,000,000-byte file: 46 blocks, a 1,574-byte blob (facts 3.3)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-pccrc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = randomBytes(3_000_000);
  writeFileSync(join(dir, 'f'), data);
  const ks = randomBytes(32);
  const info = await computeContentInformation(join(dir, 'f'), ks);
  assert.equal(info.blocks, 46);
  assert.equal(info.blob.length, 1574);
  // Decode the blob by hand and compare with hashes computed here from the spec.
  const b = info.blob;
  assert.equal(b.readUInt16LE(0), 0x0100);
  assert.equal(b.readUInt32LE(2), 0x800c);
  assert.equal(b.readUInt32LE(6), 0);
  assert.equal(b.readUInt32LE(10), 0);
  assert.equal(b.readUInt32LE(14), 1);
  assert.equal(b.readBigUInt64LE(18), 0n);
  assert.equal(b.readUInt32LE(26), 3_000_000);
  assert.equal(b.readUInt32LE(30), B);
  const blockHashes: Buffer[] = [];
  for (let o = 0; o < data.length; o += B) blockHashes.push(sha(data.subarray(o, o + B)));
  const hod = sha(Buffer.concat(blockHashes));
  const kp = createHmac('sha256', ks).update(hod).digest();
  assert.deepEqual(b.subarray(34, 66), hod);
  assert.deepEqual(b.subarray(66, 98), kp);
  assert.equal(b.readUInt32LE(98), 46);
  for (let i = 0; i < 46; i++) assert.deepEqual(b.subarray(102 + 32 * i, 134 + 32 * i), blockHashes[i]);
  // HoHoDk: HMAC(Kp, HoD ‖ "MS_P2P_CACHING" UTF-16LE with its NUL) (include/ipxe/pccrc.h).
  const magic = Buffer.from([...'MS_P2P_CACHING'].flatMap((c) => [c.charCodeAt(0), 0]).concat([0, 0]));
  assert.deepEqual(
    info.segments[0]!.id,
    createHmac('sha256', kp)
      .update(Buffer.concat([hod, magic]))
      .digest(),
  );
});

test('segments: a file over 32 MiB gets two, the second with its own offset and block list', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-pccrc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = randomBytes(SEG + 3 * B + 100);
  writeFileSync(join(dir, 'big'), data);
  const info = await computeContentInformation(join(dir, 'big'), randomBytes(32));
  assert.equal(info.segments.length, 2);
  assert.equal(info.segments[1]!.offset, SEG);
  assert.equal(info.segments[1]!.length, 3 * B + 100);
  assert.equal(info.segments[1]!.blockHashes.length, 4);
  assert.deepEqual(info.segments[1]!.blockHashes[3], sha(data.subarray(SEG + 3 * B)));
  assert.deepEqual(info.segments[0]!.hod, sha(Buffer.concat(info.segments[0]!.blockHashes)));
  assert.equal(info.blocks, 512 + 4);
});

test('hosted cache: GETBLKS → AES-128-CBC MSG_BLK that decrypts to the block; not held → data length 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-pccrc-'));
  const data = randomBytes(200_000);
  writeFileSync(join(dir, 'vmlinuz'), data);
  const events: PeerdistEvent[] = [];
  const registry = new PeerdistRegistry('on-demand', (e) => events.push(e));
  const { server, counters } = createHostedCacheServer(registry);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${MAGIC_PATH}`;
  const info = await registry.contentInformationFor(join(dir, 'vmlinuz'), '/vmlinuz', '10.0.0.5');
  const seg = info.segments[0]!;
  const ask = async (block: number) =>
    parseMsgBlk(
      Buffer.from(
        await (await fetch(url, { method: 'POST', body: buildGetBlks(seg.id, block) })).arrayBuffer(),
      ),
    );
  assert.equal((await ask(1)).data.length, 0); // on-demand: empty until the origin served it
  registry.originRange(join(dir, 'vmlinuz'), '/vmlinuz', '10.0.0.5', B); // a MissingDataRequest for block 1
  const got = await ask(1);
  assert.equal(got.index, 1);
  assert.equal(got.algorithm, 1);
  assert.equal(got.data.length % 16, 0);
  const d = createDecipheriv('aes-128-cbc', seg.secret.subarray(0, 16), got.iv).setAutoPadding(false);
  const plain = Buffer.concat([d.update(got.data), d.final()]);
  assert.deepEqual(sha(plain.subarray(0, B)), seg.blockHashes[1]);
  assert.deepEqual(counters, { requests: 2, badRequests: 0, blocksServed: 1, notHeld: 1 });
  assert.deepEqual(
    events.map((e) => e.kind),
    ['info', 'cache-miss', 'origin-range', 'cache-hit'],
  );
  const bad = await fetch(url, { method: 'POST', body: Buffer.from('garbage') });
  assert.equal(bad.status, 400);
});
