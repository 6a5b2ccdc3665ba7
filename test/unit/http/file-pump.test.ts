import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readlink, writeFile } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import { join } from 'node:path';
import { pumpFile } from '../../../services/http/file-pump.js';
import { withTempDir } from '../../helpers/temp-dir.js';

/** Files this process has open under `dir` (the pump must close its file however the download ends). */
async function openFilesUnder(dir: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    try {
      if ((await readlink(`/proc/self/fd/${fd}`)).startsWith(dir)) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

async function serve(
  file: string,
  range: { start: number; end: number },
  piece: number,
  buffers: 1 | 2 = 1,
): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': range.end - range.start + 1 });
    pumpFile(res, file, range, piece, buffers);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

function fetchAll(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts)));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a range goes out byte for byte through one or two reused piece buffers, and the file is closed after', async () => {
  await withTempDir('pump-', async (dir) => {
    const data = randomBytes(1_000_003);
    const file = join(dir, 'f.bin');
    await writeFile(file, data);
    for (const buffers of [1, 2] as const)
      for (const [range, piece] of [
        [{ start: 0, end: data.length - 1 }, 65536],
        [{ start: 12_345, end: 987_654 }, 4096],
        [{ start: 999_999, end: 1_000_002 }, 65536],
        [{ start: 0, end: 65535 }, 65536], // exactly one piece: one buffer even when two are allowed
        [{ start: 0, end: 65536 }, 65536], // one piece and one byte
      ] as const) {
        const { server, url } = await serve(file, range, piece, buffers);
        const got = await fetchAll(url);
        server.close();
        assert.ok(
          got.equals(data.subarray(range.start, range.end + 1)),
          `${buffers} buffer(s), range ${range.start}-${range.end}`,
        );
      }
    await sleep(50);
    assert.equal(await openFilesUnder(dir), 0);
  });
});

test('with two buffers, a slow client still gets every piece in file order', async () => {
  await withTempDir('pump-', async (dir) => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const file = join(dir, 'f.bin');
    await writeFile(file, data);
    const { server, url } = await serve(file, { start: 0, end: data.length - 1 }, 256 * 1024, 2);
    const got = await new Promise<Buffer>((resolve, reject) => {
      get(url, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => {
          parts.push(d);
          res.pause(); // the socket fills, so reads finish while a write waits
          setTimeout(() => res.resume(), 1);
        });
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('error', reject);
      }).on('error', reject);
    });
    server.close();
    assert.equal(got.length, data.length);
    assert.ok(got.equals(data));
    await sleep(50);
    assert.equal(await openFilesUnder(dir), 0);
  });
});

for (const buffers of [1, 2] as const)
  test(`a client that goes away mid-download stops the reads and the file is closed (${buffers} buffer(s))`, async () => {
    await withTempDir('pump-', async (dir) => {
      const file = join(dir, 'big.bin');
      await writeFile(file, Buffer.alloc(64 * 1024 * 1024, 1));
      const { server, url } = await serve(file, { start: 0, end: 64 * 1024 * 1024 - 1 }, 65536, buffers);
      await new Promise<void>((resolve) => {
        const req = get(url, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
      });
      for (let i = 0; i < 50 && (await openFilesUnder(dir)) > 0; i++) await sleep(20);
      server.close();
      assert.equal(await openFilesUnder(dir), 0);
    });
  });

test('a missing file ends the response instead of hanging', async () => {
  await withTempDir('pump-', async (dir) => {
    const { server, url } = await serve(join(dir, 'gone.bin'), { start: 0, end: 9 }, 65536);
    const outcome = await new Promise<string>((resolve) => {
      get(url, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('end'));
        res.on('error', () => resolve('error'));
        res.on('aborted', () => resolve('aborted'));
      }).on('error', () => resolve('error'));
    });
    server.close();
    assert.notEqual(outcome, 'end'); // the body is short: the client must not take it as complete
  });
});
