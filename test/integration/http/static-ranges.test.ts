import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { curl, startHttp, type RunningHttp } from './harness.js';

// Real curl against the real server on 127.0.0.1:0: full GET, HEAD, single/suffix/multiple ranges, 416,
// conditional requests, keep-alive, a sparse file over 4 GB, virtual files.

const data = randomBytes(3 * 1024 * 1024 + 17);
const BIG = 5 * 1024 * 1024 * 1024 + 3; // > 4 GiB, odd size
const TAIL = Buffer.from('BOOTLAB-TAIL-MARKER');
const virtualBytes = Buffer.from('virtual file served from memory, with ranges\n'.repeat(100));
let h: RunningHttp;
let sparseOk = true;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

before(async () => {
  h = await startHttp({}, (root) => {
    writeFileSync(join(root, 'kernel.bin'), data);
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'initrd.img'), data.subarray(0, 1000));
    try {
      execFileSync('truncate', ['-s', String(BIG), join(root, 'big.iso')]);
      const fd = openSync(join(root, 'big.iso'), 'r+');
      writeSync(fd, TAIL, 0, TAIL.length, BIG - TAIL.length);
      writeSync(fd, Buffer.from('HEAD'), 0, 4, 0);
      closeSync(fd);
    } catch {
      sparseOk = false;
    }
  });
  h.runtime.addVirtualFiles((path) =>
    path === 'menus/virtual.ipxe'
      ? {
          size: virtualBytes.length,
          mtime: new Date('2026-01-02T03:04:05Z'),
          open: (r) => Readable.from([r ? virtualBytes.subarray(r.start, r.end + 1) : virtualBytes]),
        }
      : undefined,
  );
});

after(async () => {
  await h.stop();
});

test('GET returns the whole file with validators; HEAD returns the same headers and no body', async () => {
  const get = await curl(`${h.base}/kernel.bin`);
  assert.equal(get.status, 200);
  assert.equal(sha(get.body), sha(data));
  assert.equal(get.headers['content-length'], String(data.length));
  assert.equal(get.headers['accept-ranges'], 'bytes');
  assert.match(get.headers['etag'] ?? '', /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  assert.ok(get.headers['last-modified']);
  const head = await curl(`${h.base}/kernel.bin`, ['-I']);
  assert.equal(head.status, 200);
  // curl -I writes the header block to the output file: nothing may follow it (no body on HEAD).
  assert.ok(head.body.toString('latin1').startsWith('HTTP/1.1 200'));
  assert.ok(head.body.toString('latin1').endsWith('\r\n\r\n'));
  assert.equal(head.headers['content-length'], String(data.length));
  assert.equal(head.headers['etag'], get.headers['etag']);
});

test('single range and suffix range give 206 with the right bytes', async () => {
  const r = await curl(`${h.base}/kernel.bin`, ['-r', '100-1123']);
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-range'], `bytes 100-1123/${data.length}`);
  assert.deepEqual(r.body, data.subarray(100, 1124));
  const suffix = await curl(`${h.base}/kernel.bin`, ['-H', 'Range: bytes=-500']);
  assert.equal(suffix.status, 206);
  assert.deepEqual(suffix.body, data.subarray(data.length - 500));
  const open = await curl(`${h.base}/kernel.bin`, ['-r', `${data.length - 10}-`]);
  assert.deepEqual(open.body, data.subarray(data.length - 10));
});

/** Splits a multipart/byteranges body into parts (headers + bytes). */
function parseMultipart(body: Buffer, contentType: string): { range: string; type: string; bytes: Buffer }[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)![1]!;
  const parts: { range: string; type: string; bytes: Buffer }[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const afterDelim = pos + delim.length;
    if (body.subarray(afterDelim, afterDelim + 2).toString() === '--') break;
    const headEnd = body.indexOf('\r\n\r\n', afterDelim);
    const head = body.subarray(afterDelim + 2, headEnd).toString('latin1');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd + 4);
    parts.push({
      range: /content-range: (.*)/i.exec(head)![1]!.trim(),
      type: /content-type: (.*)/i.exec(head)![1]!.trim(),
      bytes: body.subarray(headEnd + 4, next),
    });
    pos = next + 2;
  }
  return parts;
}

test('multiple ranges give one multipart/byteranges 206 with each part right', async () => {
  const r = await curl(`${h.base}/kernel.bin`, ['-r', '0-9,1000-1099,-7']);
  assert.equal(r.status, 206);
  assert.match(r.headers['content-type'] ?? '', /^multipart\/byteranges; boundary=/);
  assert.equal(Number(r.headers['content-length']), r.body.length);
  const parts = parseMultipart(r.body, r.headers['content-type']!);
  assert.deepEqual(
    parts.map((p) => p.range),
    [
      `bytes 0-9/${data.length}`,
      `bytes 1000-1099/${data.length}`,
      `bytes ${data.length - 7}-${data.length - 1}/${data.length}`,
    ],
  );
  assert.deepEqual(parts[0]!.bytes, data.subarray(0, 10));
  assert.deepEqual(parts[1]!.bytes, data.subarray(1000, 1100));
  assert.deepEqual(parts[2]!.bytes, data.subarray(data.length - 7));
  // Overlapping ranges are combined (RFC 9110 §14.6 allows it); one range left → a plain 206.
  const merged = await curl(`${h.base}/kernel.bin`, ['-r', '0-99,50-149']);
  assert.equal(merged.status, 206);
  assert.equal(merged.headers['content-range'], `bytes 0-149/${data.length}`);
  assert.deepEqual(merged.body, data.subarray(0, 150));
});

test('unsatisfiable ranges give 416 with Content-Range */size; malformed ones are ignored', async () => {
  const r = await curl(`${h.base}/kernel.bin`, ['-r', `${data.length + 10}-${data.length + 20}`]);
  assert.equal(r.status, 416);
  assert.equal(r.headers['content-range'], `bytes */${data.length}`);
  const multi = await curl(`${h.base}/kernel.bin`, ['-r', `${data.length}-,${data.length + 5}-`]);
  assert.equal(multi.status, 416);
  const garbage = await curl(`${h.base}/kernel.bin`, ['-H', 'Range: bytes=abc']);
  assert.equal(garbage.status, 200);
  assert.equal(sha(garbage.body), sha(data));
});

test('conditional GET: If-None-Match / If-Modified-Since → 304; If-Range with an old tag → whole file', async () => {
  const first = await curl(`${h.base}/kernel.bin`, ['-I']);
  const tag = first.headers['etag']!;
  const inm = await curl(`${h.base}/kernel.bin`, ['-H', `If-None-Match: ${tag}`]);
  assert.equal(inm.status, 304);
  assert.equal(inm.body.length, 0);
  const ims = await curl(`${h.base}/kernel.bin`, [
    '-H',
    `If-Modified-Since: ${first.headers['last-modified']}`,
  ]);
  assert.equal(ims.status, 304);
  const changed = await curl(`${h.base}/kernel.bin`, ['-H', 'If-None-Match: "other"']);
  assert.equal(changed.status, 200);
  const ifRangeOld = await curl(`${h.base}/kernel.bin`, ['-r', '0-9', '-H', 'If-Range: "stale-tag"']);
  assert.equal(ifRangeOld.status, 200);
  assert.equal(ifRangeOld.body.length, data.length);
  const ifRangeOk = await curl(`${h.base}/kernel.bin`, ['-r', '0-9', '-H', `If-Range: ${tag}`]);
  assert.equal(ifRangeOk.status, 206);
  // Multi-range path (serve-entity.ts) uses the same validators as send.
  const multi304 = await curl(`${h.base}/kernel.bin`, ['-r', '0-1,5-6', '-H', `If-None-Match: ${tag}`]);
  assert.equal(multi304.status, 304);
  const ifMatchBad = await curl(`${h.base}/kernel.bin`, ['-r', '0-1,5-6', '-H', 'If-Match: "nope"']);
  assert.equal(ifMatchBad.status, 412);
});

test('keep-alive: two downloads on one connection', async () => {
  const r = await curl(`${h.base}/kernel.bin`, [
    '-w',
    ' %{num_connects}',
    `${h.base}/sub/initrd.img`,
    '-o',
    '/dev/null',
  ]);
  // -w applies to each transfer: the first one connected, the second one made no new connection.
  assert.equal(r.stdout.trim(), '1 0');
});

test('a sparse file over 4 GiB: exact Content-Length, correct head and tail ranges', async (t) => {
  if (!sparseOk) return t.skip('truncate could not make a sparse file here');
  const head = await curl(`${h.base}/big.iso`, ['-I']);
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String(BIG));
  const tail = await curl(`${h.base}/big.iso`, ['-H', `Range: bytes=-${TAIL.length}`]);
  assert.equal(tail.status, 206);
  assert.equal(tail.headers['content-range'], `bytes ${BIG - TAIL.length}-${BIG - 1}/${BIG}`);
  assert.deepEqual(tail.body, TAIL);
  const both = await curl(`${h.base}/big.iso`, ['-r', `0-3,${BIG - TAIL.length}-${BIG - 1}`]);
  assert.equal(both.status, 206);
  const parts = parseMultipart(both.body, both.headers['content-type']!);
  assert.equal(parts[0]!.bytes.toString(), 'HEAD');
  assert.deepEqual(parts[1]!.bytes, TAIL);
  assert.equal(parts[1]!.range, `bytes ${BIG - TAIL.length}-${BIG - 1}/${BIG}`);
});

test('virtual files are served before the boot root, with ranges and validators', async () => {
  const full = await curl(`${h.base}/menus/virtual.ipxe`);
  assert.equal(full.status, 200);
  assert.deepEqual(full.body, virtualBytes);
  assert.equal(full.headers['last-modified'], 'Fri, 02 Jan 2026 03:04:05 GMT');
  const one = await curl(`${h.base}/menus/virtual.ipxe`, ['-r', '10-19']);
  assert.equal(one.status, 206);
  assert.deepEqual(one.body, virtualBytes.subarray(10, 20));
  const multi = await curl(`${h.base}/menus/virtual.ipxe`, ['-r', '0-4,-4']);
  const parts = parseMultipart(multi.body, multi.headers['content-type']!);
  assert.deepEqual(parts[0]!.bytes, virtualBytes.subarray(0, 5));
  assert.deepEqual(parts[1]!.bytes, virtualBytes.subarray(virtualBytes.length - 4));
  const cond = await curl(`${h.base}/menus/virtual.ipxe`, ['-H', `If-None-Match: ${full.headers['etag']}`]);
  assert.equal(cond.status, 304);
  const bad = await curl(`${h.base}/menus/virtual.ipxe`, ['-r', '99999-']);
  assert.equal(bad.status, 416);
});

test('only GET and HEAD are answered', async () => {
  const r = await curl(`${h.base}/kernel.bin`, ['-X', 'POST', '-d', 'x']);
  assert.equal(r.status, 405);
  assert.equal(r.headers['allow'], 'GET, HEAD');
});
