import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestTftp, type TestTftp } from './harness.js';
import { RawClient } from './raw-client.js';
import { ERR } from '../../../services/tftp/codec.js';

/**
 * GRUB asks TFTP for "/grub/grub.cfg" and "/path/vmlinuz" (issue 16, Secure Boot via shim -> GRUB): one
 * leading "/" is read as the boot root, like tftpd-hpa --secure and dnsmasq, but only for names that exist
 * inside the root. Everything else keeps the "absolute" refusal, so nothing outside the root is reachable.
 */
let dir: string;
let root: string;
let server: TestTftp;
const HOST = '127.0.0.1';
const cfg = randomBytes(3000);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tftp-slash-'));
  root = join(dir, 'root');
  await mkdir(join(root, 'grub'), { recursive: true });
  await writeFile(join(root, 'grub', 'grub.cfg'), cfg);
  await writeFile(join(dir, 'outside.txt'), 'OUTSIDE');
  server = await startTestTftp({ bootRoot: root });
});

after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function firstReply(name: string) {
  const c = await RawClient.open(HOST, server.port);
  try {
    c.request('rrq', name, 'octet', { blksize: '1024' });
    return await c.next();
  } finally {
    c.close();
  }
}

test('"/grub/grub.cfg" is served from the boot root (as GRUB asks for it), byte for byte', async () => {
  const c = await RawClient.open(HOST, server.port);
  try {
    c.request('rrq', '/grub/grub.cfg', 'octet', { blksize: '1024' });
    const first = await c.next();
    assert.equal(first.kind, 'oack', 'the options are acknowledged: the file was found');
    c.ack(0);
    assert.deepEqual(await c.receive(1024, 1), cfg);
  } finally {
    c.close();
  }
});

test('a leading "/" never reaches outside the root: missing names keep the "absolute" refusal', async () => {
  for (const name of [
    '/outside.txt',
    `/${join(dir, 'outside.txt')}`,
    '/etc/passwd',
    '//grub/grub.cfg',
    '/../outside.txt',
  ]) {
    const p = await firstReply(name);
    assert.equal(p.kind, 'error', name);
    if (p.kind === 'error') assert.equal(p.code, ERR.accessViolation, `${name}: ${p.message}`);
  }
});
