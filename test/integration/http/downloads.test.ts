import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpDownloadEvent } from '../../../services/shared/events.js';
import { payloads, startHttp, waitForPayload, waitUntil, type RunningHttp } from './harness.js';

// Many concurrent downloads (one curl process, --parallel) of the same and different files: every byte right
// (sha256), and every download reported on the bus with the client's MAC, bytes and result.

const files: Record<string, Buffer> = {
  'a.img': randomBytes(16 * 1024 * 1024),
  'b.img': randomBytes(4 * 1024 * 1024 + 1),
  'c.img': randomBytes(300 * 1024),
};
const PER_FILE = 20;
const MAC = '52:54:00:de:ad:01';
let h: RunningHttp;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

before(async () => {
  h = await startHttp({}, (root) => {
    for (const [name, data] of Object.entries(files)) writeFileSync(join(root, name), data);
    writeFileSync(join(root, 'huge.img'), Buffer.alloc(0));
  });
  // A 256 MiB file (sparse) so an aborted download really is cut short by the client.
  await new Promise<void>((resolve, reject) =>
    execFile('truncate', ['-s', '256M', join(h.root, 'huge.img')], (e) => (e ? reject(e) : resolve())),
  );
  h.runtime.rememberClient('127.0.0.1', MAC);
});

after(async () => {
  await h.stop();
});

const downloads = (): HttpDownloadEvent[] => payloads(h, 'http.download');

test(`${PER_FILE * 3} concurrent downloads all complete with the right bytes and are reported`, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bootlab-par-'));
  try {
    const args = ['-sS', '--parallel', '--parallel-max', '60', '--fail'];
    const targets: [string, string][] = [];
    for (let i = 0; i < PER_FILE; i++) {
      for (const name of Object.keys(files)) {
        const dest = join(out, `${name}.${i}`);
        targets.push([name, dest]);
        args.push(`${h.base}/${name}`, '-o', dest);
      }
    }
    await new Promise<void>((resolve, reject) =>
      execFile('curl', args, (e, _o, se) => (e ? reject(new Error(se || e.message)) : resolve())),
    );
    for (const [name, dest] of targets)
      assert.equal(sha(readFileSync(dest)), sha(files[name]!), `${dest} differs`);

    // Every download ends with a "completed" event carrying the MAC (joined from the lease), bytes and total.
    const endsOf = (): HttpDownloadEvent[] =>
      downloads().filter((d) => d.phase === 'end' && d.path !== '/huge.img');
    await waitUntil(h, () => endsOf().length >= targets.length);
    const ends = endsOf();
    assert.equal(ends.length, targets.length);
    for (const d of ends) {
      const size = files[d.path.slice(1)]!.length;
      assert.equal(d.result, 'completed');
      assert.equal(d.mac, MAC);
      assert.equal(d.client, '127.0.0.1');
      assert.equal(d.status, 200);
      assert.equal(d.bytesSent, size);
      assert.equal(d.total, size);
    }
    const starts = downloads().filter((d) => d.phase === 'start');
    assert.ok(starts.length >= targets.length);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a download the client drops is reported as aborted with the bytes actually sent', async () => {
  await new Promise<void>((resolve, reject) => {
    const req = get(`${h.base}/huge.img`, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
  const p = await waitForPayload(h, 'http.download', (d) => d.path === '/huge.img' && d.phase === 'end');
  assert.equal(p.result, 'aborted');
  assert.equal(p.total, 256 * 1024 * 1024);
  assert.ok(p.bytesSent > 0 && p.bytesSent < p.total!, `bytesSent ${p.bytesSent}`);
});
