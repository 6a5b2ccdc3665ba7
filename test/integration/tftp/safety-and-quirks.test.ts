import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestTftp, run, clients, type TestTftp } from './harness.js';
import { RawClient } from './raw-client.js';
import { waitFor } from '../../helpers/netns.js';
import { ERR } from '../../../services/tftp/codec.js';

/**
 * Path safety (every kind of escape is refused with an error packet, nothing outside the root leaks),
 * firmware quirks (OVMF's aborted size probe, iPXE's blksize 1432 + tsize), the busy cap, malformed input,
 * and Sorcerer's Apprentice (duplicate ACKs never cause duplicate DATA).
 */
let dir: string;
let root: string;
let server: TestTftp;
const HOST = '127.0.0.1';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
const payload = randomBytes(20_000);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tftp-safety-'));
  root = join(dir, 'root');
  await mkdir(join(root, 'Boot', 'x64'), { recursive: true });
  await writeFile(join(root, 'Boot', 'x64', 'wdsnbp.com'), payload);
  await writeFile(join(root, 'ipxe.efi'), payload);
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await writeFile(join(root, '.hidden'), SECRET);
  await symlink(join(dir, 'secret.txt'), join(root, 'link-out'));
  await symlink(dir, join(root, 'dir-out'));
  server = await startTestTftp({ bootRoot: root, tftp: { maxTransfers: 3, timeoutMs: 300, retries: 3 } });
});

after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function firstReply(name: string, mode = 'octet', options: Record<string, string> = {}) {
  const c = await RawClient.open(HOST, server.port);
  try {
    c.request('rrq', name, mode, options);
    return await c.next();
  } finally {
    c.close();
  }
}

describe('path safety', () => {
  const attempts: [string, number, string][] = [
    ['../secret.txt', ERR.accessViolation, 'traversal'],
    ['Boot/../../secret.txt', ERR.accessViolation, 'traversal'],
    ['..\\secret.txt', ERR.accessViolation, 'traversal (backslash)'],
    ['Boot\\..\\..\\secret.txt', ERR.accessViolation, 'traversal (backslash)'],
    ['@ABS', ERR.accessViolation, 'absolute (full path of a file outside)'],
    ['/etc/passwd', ERR.accessViolation, 'absolute'],
    ['C:\\secret.txt', ERR.accessViolation, 'absolute (drive letter)'],
    ['\\\\server\\share\\secret.txt', ERR.accessViolation, 'absolute (UNC)'],
    ['%2e%2e/secret.txt', ERR.accessViolation, 'percent-encoding'],
    ['..%2fsecret.txt', ERR.accessViolation, 'percent-encoding'],
    ['link-out', ERR.accessViolation, 'symlink out'],
    ['dir-out/secret.txt', ERR.accessViolation, 'symlinked directory out'],
    ['.hidden', ERR.accessViolation, 'dotfile'],
    ['Boot', ERR.fileNotFound, 'directory'],
    ['', ERR.fileNotFound, 'empty name'],
  ];
  for (const [name, code, kind] of attempts) {
    test(`refuses ${kind}: ${JSON.stringify(name)}`, async () => {
      const p = await firstReply(name === '@ABS' ? join(dir, 'secret.txt') : name);
      assert.equal(p.kind, 'error');
      if (p.kind === 'error') assert.equal(p.code, code, p.message);
    });
  }

  test('refuses a NUL byte inside the name (raw bytes on the wire)', async () => {
    const c = await RawClient.open(HOST, server.port);
    // RRQ "ipxe.efi\0../secret.txt\0octet\0": the codec reads "ipxe.efi" as name and "../secret.txt" as mode.
    c.sendRaw(Buffer.from('\x00\x01ipxe.efi\x00../secret.txt\x00octet\x00', 'latin1'));
    const p = await c.next();
    c.close();
    assert.equal(p.kind, 'error'); // unknown mode → illegal operation; never the file
    if (p.kind === 'error') assert.equal(p.code, ERR.illegalOperation);
  });

  test('tftp-hpa asking for ../secret.txt gets an access violation and no file', async () => {
    const out = join(dir, 'leak.out');
    const r = await run(...clients.tftpHpa(HOST, server.port, '../secret.txt', out));
    assert.match(r.stdout + r.stderr, /Error code 2/);
    const r2 = await run(...clients.tftpHpa(HOST, server.port, 'dir-out/secret.txt', out));
    assert.match(r2.stdout + r2.stderr, /Error code 2/);
  });

  test('refusals are reported as events with the reason', () => {
    const refused = new Set(
      server
        .ends()
        .map((e) => e.refused)
        .filter(Boolean),
    );
    for (const r of ['traversal', 'absolute', 'percent-encoding', 'symlink-escape', 'dotfile', 'not-a-file'])
      assert.ok(refused.has(r), r);
  });

  test('Windows-style names: backslashes and other case find the file', async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'BOOT\\X64\\WDSNBP.COM');
    const got = await c.receive(512, 1);
    c.close();
    assert.deepEqual(got, payload);
  });
});

describe('firmware quirks', () => {
  test('OVMF: size probe (tsize=0 blksize=1468 windowsize=4) aborted by an ERROR, then the real request', async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'ipxe.efi', 'octet', { tsize: '0', blksize: '1468', windowsize: '4' });
    const oack = await c.next();
    assert.equal(oack.kind, 'oack');
    if (oack.kind !== 'oack') return;
    assert.equal(oack.options.get('tsize'), String(payload.length));
    assert.equal(oack.options.get('blksize'), '1468');
    assert.equal(oack.options.get('windowsize'), '4');
    c.error(ERR.optionNegotiation, 'Abort');
    // Same source port, asked again without tsize.
    c.request('rrq', 'ipxe.efi', 'octet', { blksize: '1468', windowsize: '4' });
    const oack2 = await c.next();
    assert.equal(oack2.kind, 'oack');
    c.ack(0);
    const got = await c.receive(1468, 4);
    c.close();
    assert.deepEqual(got, payload);
    const probe = server.ends().find((e) => e.file === 'ipxe.efi' && e.sizeProbe);
    assert.equal(probe?.result, 'aborted');
  });

  test('iPXE: blksize=1432 and tsize are both acknowledged', async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'ipxe.efi', 'octet', { blksize: '1432', tsize: '0' });
    const oack = await c.next();
    assert.ok(oack.kind === 'oack');
    assert.equal(oack.options.get('blksize'), '1432');
    assert.equal(oack.options.get('tsize'), String(payload.length));
    c.ack(0);
    const got = await c.receive(1432, 1);
    c.close();
    assert.deepEqual(got, payload);
  });

  test('blksize is capped by the config (1468 default) and unknown options are left out', async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'ipxe.efi', 'octet', { blksize: '9000', multicast: '', foo: 'bar' });
    const oack = await c.next();
    c.error(0, 'enough');
    c.close();
    assert.ok(oack.kind === 'oack', JSON.stringify(oack));
    assert.equal(oack.options.get('blksize'), '1468');
    assert.equal(oack.options.has('foo'), false);
  });

  test("duplicate ACKs never trigger duplicate DATA (Sorcerer's Apprentice)", async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'ipxe.efi');
    const d1 = await c.next();
    assert.ok(d1.kind === 'data' && d1.block === 1, JSON.stringify(d1));
    c.ack(1);
    c.ack(1);
    c.ack(1);
    const d2 = await c.next();
    assert.ok(d2.kind === 'data' && d2.block === 2, JSON.stringify(d2));
    // Nothing else may arrive before the retransmission timeout (300 ms here).
    await assert.rejects(c.next(150));
    c.error(0, 'done');
    c.close();
  });
});

describe('resources and malformed input', () => {
  test('when the transfer cap is hit, the next client gets a clear "busy" error', async () => {
    await waitFor('earlier transfers to end', () => server.service.report().active === 0);
    const holders = await Promise.all([1, 2, 3].map(() => RawClient.open(HOST, server.port)));
    for (const h of holders) h.request('rrq', 'ipxe.efi');
    for (const h of holders) assert.equal((await h.next()).kind, 'data'); // three transfers running, none ACKed
    const p = await firstReply('ipxe.efi');
    assert.ok(p.kind === 'error');
    assert.match(p.message, /busy/i);
    for (const h of holders) {
      h.error(0, 'bye');
      h.close();
    }
  });

  test('garbage on the request port is dropped and counted; the server keeps serving', async () => {
    const c = await RawClient.open(HOST, server.port);
    const before = server.service.report().malformed;
    c.sendRaw(Buffer.from([0]));
    c.sendRaw(Buffer.from([0, 9, 1, 2, 3]));
    c.sendRaw(Buffer.from([0, 1, 0x41, 0x42])); // RRQ without NUL terminators
    c.sendRaw(randomBytes(600));
    c.close();
    const out = join(dir, 'after-garbage.out');
    const r = await run(...clients.tftpHpa(HOST, server.port, 'ipxe.efi', out));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(server.service.report().malformed >= before + 3);
  });

  test('a packet from a stranger on a transfer port gets "unknown transfer ID" and does not disturb it', async () => {
    const c = await RawClient.open(HOST, server.port);
    c.request('rrq', 'ipxe.efi');
    const d1 = await c.next();
    assert.ok(d1.kind === 'data');
    const stranger = await RawClient.open(HOST, server.port);
    stranger.sendRaw(Buffer.from([0, 4, 0, 1]), c.serverTid!);
    const e = await stranger.next();
    stranger.close();
    assert.ok(e.kind === 'error' && e.code === ERR.unknownTid);
    c.ack(1);
    const rest = await c.receive(512, 1, undefined, 2);
    c.close();
    assert.deepEqual(Buffer.concat([d1.kind === 'data' ? d1.data : Buffer.alloc(0), rest]), payload);
  });
});

if (spawnSync('sh', ['-c', 'command -v tftp']).status !== 0)
  test('tftp-hpa missing', { skip: 'tftp-hpa not installed' }, () => {});
