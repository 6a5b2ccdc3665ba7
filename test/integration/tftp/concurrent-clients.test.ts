import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestTftp, run, sha256File, clients, type TestTftp } from './harness.js';

/**
 * Many clients at once (curl, atftp with windows, tftp-hpa), several files: every client must end with
 * exactly the bytes of the file it asked for, and every transfer must be reported as ok.
 */
const missing = ['curl', 'atftp', 'tftp'].filter(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
);
const skip = missing.length ? `client(s) not installed: ${missing.join(', ')}` : false;

let dir: string;
let root: string;
let server: TestTftp;
const N = 48;
const FILES = ['a.bin', 'b.bin', 'c.bin'];

describe('concurrent clients', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tftp-many-'));
    root = join(dir, 'root');
    await mkdir(root);
    for (const [i, f] of FILES.entries()) await writeFile(join(root, f), randomBytes(700_000 + i * 123_457));
    server = await startTestTftp({ bootRoot: root, tftp: { timeoutMs: 500, retries: 10 } });
  });

  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`${N} clients at once all get the right bytes`, async () => {
    const jobs = Array.from({ length: N }, (_, i) => {
      const file = FILES[i % FILES.length]!;
      const out = join(dir, `out-${i}`);
      const host = '127.0.0.1';
      const kind = i % 4;
      const [c, args] =
        kind === 0
          ? clients.curl(host, server.port, file, out, 1468)
          : kind === 1
            ? clients.atftp(host, server.port, file, out, { blksize: 1468, windowsize: 16 })
            : kind === 2
              ? clients.tftpHpa(host, server.port, file, out)
              : clients.atftp(host, server.port, file, out, { windowsize: 8 });
      return run(c, args, 180_000).then(async (r) => ({ i, file, out, r, c }));
    });
    const results = await Promise.all(jobs);
    for (const { file, out, r, c } of results) {
      assert.equal(r.code, 0, `${c} ${file}: ${r.stderr}`);
      assert.equal(
        await sha256File(out),
        await sha256File(join(root, file)),
        `${c} got the wrong bytes for ${file}`,
      );
    }
    const ok = server.ends().filter((e) => e.result === 'ok');
    assert.equal(ok.length, N);
    assert.equal(server.service.report().active, 0);
  });
});
