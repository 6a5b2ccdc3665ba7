import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

const sha = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('bootlab boot serves one kernel + initrd to every client over HTTP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-quick-'));
  const kernel = randomBytes(300_000);
  const initrd = randomBytes(120_000);
  writeFileSync(join(dir, 'vmlinuz'), kernel);
  writeFileSync(join(dir, 'initrd.img'), initrd);
  const httpPort = await freePort('tcp');
  const app = await startBootlab([
    'boot',
    '--kernel',
    join(dir, 'vmlinuz'),
    '--initrd',
    join(dir, 'initrd.img'),
    '--cmdline',
    'console=ttyS0 quiet',
    '--data-dir',
    join(dir, 'data'),
    '--interface',
    'lo',
    '--dhcp',
    'off',
    '--services',
    'http',
    '--quiet',
    '--http-port',
    String(httpPort),
    '--ui-port',
    '0',
  ]);
  try {
    const base = `http://127.0.0.1:${httpPort}`;
    const res = await fetch(`${base}/boot.ipxe?mac=52-54-00-12-34-56&platform=pcbios&buildarch=i386`, {
      headers: { 'user-agent': 'iPXE/1.21.1+ (g4a7a)' },
    });
    assert.equal(res.status, 200);
    const script = await res.text();
    assert.match(script, /^#!ipxe/);
    // The menu renderer writes URLs as ${base}/…; expand it the way iPXE would.
    const scriptBase = /^set base (\S+)$/m.exec(script)?.[1] ?? '';
    const expand = (u: string | undefined): string | undefined => u?.replace('${base}', scriptBase);
    const kernelUrl = expand(/^kernel (\S+)/m.exec(script)?.[1]);
    const initrdUrl = expand(/^initrd (?:--name \S+ )?(\S+)/m.exec(script)?.[1]);
    assert.ok(kernelUrl && initrdUrl, script);
    assert.match(script, /console=ttyS0 quiet/);
    assert.match(script, /\|\| goto \S*failed/, 'a failed download never dead-ends');
    assert.equal(sha(Buffer.from(await (await fetch(kernelUrl)).arrayBuffer())), sha(kernel));
    assert.equal(sha(Buffer.from(await (await fetch(initrdUrl)).arrayBuffer())), sha(initrd));
  } finally {
    await app.stop();
  }
});
