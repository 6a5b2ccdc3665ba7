import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, stat, readFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { startTestTftp, run, sha256File, clients, type TestTftp } from './harness.js';

/**
 * Real clients nobody here wrote (curl, atftp, tftp-hpa) fetch files of 0 bytes, exactly one block and
 * 100 MB (block numbers roll over three times at 512-byte blocks) from the real TftpService on loopback;
 * the sha256 of what each wrote must equal the file's.
 */
const missing = ['curl', 'atftp', 'tftp'].filter(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
);
const skip = missing.length ? `client(s) not installed: ${missing.join(', ')}` : false;

let dir: string;
let root: string;
let server: TestTftp;
const HOST = '127.0.0.1';
const BIG = 100_000_000;

async function writeRandom(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  let left = size;
  const src = new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(left, 1 << 20);
      left -= n;
      this.push(randomBytes(n));
    },
  });
  await new Promise<void>((res, rej) => src.pipe(out).on('finish', res).on('error', rej));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tftp-clients-'));
  root = join(dir, 'root');
  await (await import('node:fs/promises')).mkdir(root);
  await writeFile(join(root, 'empty.bin'), Buffer.alloc(0));
  await writeFile(join(root, 'one-block.bin'), randomBytes(512));
  await writeFile(join(root, 'small.bin'), randomBytes(200_000));
  await writeRandom(join(root, 'big.bin'), BIG);
  // blksize up to 65464 on loopback (the MTU cap allows it), windows up to 16 (default cap).
  server = await startTestTftp({ bootRoot: root, tftp: { maxBlockSize: 65464, retries: 4, timeoutMs: 500 } });
});

after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

type Fetch = (file: string, out: string) => [string, string[]];
const variants: Record<string, Fetch> = {
  'curl (blksize 512)': (f, o) => clients.curl(HOST, server.port, f, o),
  'curl --tftp-blksize 1468': (f, o) => clients.curl(HOST, server.port, f, o, 1468),
  'atftp windowsize 16': (f, o) => clients.atftp(HOST, server.port, f, o, { windowsize: 16 }),
  'atftp blksize 1468 windowsize 16': (f, o) =>
    clients.atftp(HOST, server.port, f, o, { blksize: 1468, windowsize: 16 }),
  'tftp-hpa (octet)': (f, o) => clients.tftpHpa(HOST, server.port, f, o, 'binary'),
};

describe('real clients receive identical bytes', { skip }, () => {
  for (const file of ['empty.bin', 'one-block.bin', 'small.bin', 'big.bin']) {
    for (const [label, cmd] of Object.entries(variants)) {
      // Rollover is proven at 512-byte blocks; the 100 MB file at 1468 adds time and nothing new.
      if (file === 'big.bin' && label.includes('1468')) continue;
      test(`${label}: ${file}`, async () => {
        const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
        const [c, args] = cmd(file, out);
        const r = await run(c, args, 300_000);
        const want = await sha256File(join(root, file));
        if (file === 'empty.bin' && c === 'curl') {
          // curl 7.88 reports a stale getpeername() error (exit 71) after an empty TFTP file and writes no
          // output file (curl/curl#11332); the same happens against tftpd-hpa. What it received is empty.
          const got = await sha256File(out).catch(() => createHash('sha256').digest('hex'));
          assert.equal(got, want);
          return;
        }
        assert.equal(r.code, 0, `${c} failed: ${r.stderr}`);
        assert.equal(await sha256File(out), want);
        await rm(out, { force: true });
      });
    }
  }

  test('the end events carry the agreed options, size and bytes', async () => {
    const ends = server.ends().filter((e) => e.result === 'ok');
    const atftpBig = ends.find((e) => e.file === 'small.bin' && e.blksize === 1468 && e.windowsize === 16);
    assert.ok(atftpBig, 'an atftp transfer with blksize 1468 / windowsize 16 was reported');
    assert.equal(atftpBig.size, 200_000);
    assert.equal(atftpBig.bytesSent, 200_000);
    assert.equal(atftpBig.mode, 'octet');
    const big = ends.filter((e) => e.file === 'big.bin');
    assert.ok(big.length >= 3);
    for (const e of big) assert.equal(e.bytesSent, BIG);
    for (const e of ends) assert.ok(e.durationMs >= 0 && e.bytesPerSecond >= 0 && e.retransmits >= 0 && e.id);
    // Progress: a long transfer reports while it runs, at most 4 times a second, with growing byte counts.
    for (const e of big) {
      const progress = server.events.filter((p) => p.id === e.id && p.phase === 'progress');
      assert.ok(progress.length >= 1, 'progress was reported');
      assert.ok(
        progress.length <= Math.ceil(e.durationMs / 250) + 1,
        `${progress.length} progress events in ${e.durationMs} ms`,
      );
      for (let i = 1; i < progress.length; i++)
        assert.ok(progress[i]!.bytesSent > progress[i - 1]!.bytesSent);
      assert.ok(server.events.some((p) => p.id === e.id && p.phase === 'start'));
    }
  });
});

describe('modes and write requests', { skip }, () => {
  test('a first stage replaced between two boots is sent new (files under 16 MiB come from memory)', async () => {
    const name = 'replaced.efi';
    const first = randomBytes(300_000);
    const second = randomBytes(300_000); // same size: only the modification time tells them apart
    await writeFile(join(root, name), first);
    const fetch = async (): Promise<Buffer> => {
      const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
      const [c, args] = clients.atftp(HOST, server.port, name, out, { blksize: 1468 });
      const r = await run(c, args);
      assert.equal(r.code, 0, r.stderr);
      return readFile(out);
    };
    assert.ok((await fetch()).equals(first));
    assert.ok((await fetch()).equals(first));
    await writeFile(join(root, name), second);
    assert.ok((await fetch()).equals(second));
  });

  test('netascii: tftp-hpa in ascii mode gets the text back unchanged (CR LF on the wire)', async () => {
    const text = 'line one\nline two\r\nbare cr\r here\n\n' + 'x'.repeat(700) + '\nend';
    await writeFile(join(root, 'notes.txt'), text);
    const out = join(dir, 'notes.out');
    const [c, args] = clients.tftpHpa(HOST, server.port, 'notes.txt', out, 'ascii');
    const r = await run(c, args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(out, 'latin1'), text);
    const ev = server.ends().find((e) => e.file === 'notes.txt');
    assert.equal(ev?.mode, 'netascii');
    assert.equal(ev?.result, 'ok');
  });

  test('write requests are refused with an error packet and the file is not created', async () => {
    const src = join(dir, 'upload.bin');
    await writeFile(src, 'data');
    const r = await run('tftp', [
      '-m',
      'binary',
      HOST,
      String(server.port),
      '-c',
      'put',
      src,
      'uploaded.bin',
    ]);
    assert.match(r.stdout + r.stderr, /read-only/i);
    await assert.rejects(stat(join(root, 'uploaded.bin')));
    const ev = server.ends().find((e) => e.refused === 'write');
    assert.equal(ev?.result, 'error');
  });

  test('a missing file gets "File not found"', async () => {
    const out = join(dir, 'nothere.out');
    // curl maps TFTP error 1 to exit code 68 (CURLE_TFTP_NOTFOUND); tftp-hpa prints the server's text.
    const r = await run(...clients.curl(HOST, server.port, 'no-such-file.efi', out));
    assert.equal(r.code, 68);
    const h = await run(...clients.tftpHpa(HOST, server.port, 'no-such-file.efi', out));
    assert.match(h.stdout + h.stderr, /Error code 1: File not found/);
  });
});

describe('virtual files', { skip }, () => {
  test('a file from the virtual-file provider is served without touching the boot root', async () => {
    const script = Buffer.from('#!ipxe\necho served from memory\nchain http://10.77.0.1/boot.ipxe\n');
    const seen: string[] = [];
    const remove = server.runtime.addVirtualFiles((path, client) => {
      seen.push(`${path}@${client.address}`);
      if (path !== 'autoexec.ipxe') return undefined;
      return { size: script.length, mtime: new Date(), open: () => Readable.from([script]) };
    });
    try {
      const out = join(dir, 'autoexec.out');
      const r = await run(...clients.tftpHpa(HOST, server.port, 'autoexec.ipxe', out));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await readFile(out), script);
      assert.ok(seen.includes('autoexec.ipxe@127.0.0.1'));
      const ev = server.ends().find((e) => e.file === 'autoexec.ipxe');
      assert.equal(ev?.virtual, true);
      assert.equal(ev?.size, script.length);
      // With tsize the size comes from the provider.
      const out2 = join(dir, 'autoexec2.out');
      const r2 = await run(
        ...clients.atftp(HOST, server.port, 'autoexec.ipxe', out2, { tsize: 0, blksize: 1432 }),
      );
      assert.equal(r2.code, 0, r2.stderr);
      assert.deepEqual(await readFile(out2), script);
    } finally {
      remove();
    }
  });
});
