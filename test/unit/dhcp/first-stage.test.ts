import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { firstStageReport, HOW_TO_GET_IPXE, systemIpxeProvider } from '../../../services/dhcp/first-stage.js';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';

async function readAll(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function fakeSystem(): { root: string; sys: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'bootlab-fs-'));
  const root = join(base, 'boot');
  const sys = join(base, 'sys');
  mkdirSync(root);
  mkdirSync(sys);
  writeFileSync(join(sys, 'undionly.kpxe'), Buffer.alloc(5000, 1));
  writeFileSync(join(sys, 'snponly.efi'), Buffer.alloc(7000, 2));
  writeFileSync(join(sys, 'undionly.kkpxe'), Buffer.alloc(100, 3));
  return { root, sys, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

test('report: system files with what the 2019 build lacks, boot-root files win, overrides, missing arches', () => {
  const f = fakeSystem();
  try {
    writeFileSync(join(f.root, 'snponly.efi'), 'my own build');
    const r = firstStageReport({
      bootRoot: f.root,
      names: DEFAULT_FIRST_STAGE,
      overrides: new Map([['52:54:00:00:00:01', 'undionly.kkpxe']]),
      systemDir: f.sys,
      packageVersion: '1.0.0+git-20190125.36a4c85-5.1',
    });
    const by = Object.fromEntries(r.entries.map((e) => [e.use, e]));
    assert.equal(by['BIOS (legacy PXE)']!.source, 'system');
    assert.equal(by['BIOS (legacy PXE)']!.path, join(f.sys, 'undionly.kpxe'));
    assert.deepEqual(by['BIOS (legacy PXE)']!.lacks, ['syslog', 'HTTPS', 'PeerDist']);
    assert.equal(by['UEFI x64']!.source, 'boot-root');
    assert.equal(by['UEFI ARM64']!.source, 'missing');
    assert.match(by['UEFI ARM64']!.note, /no UEFI ARM64 build/);
    assert.equal(by['override 52:54:00:00:00:01']!.source, 'system');
    assert.equal(r.howToGet, undefined);
    assert.deepEqual(r.system.files, ['undionly.kpxe', 'undionly.kkpxe', 'snponly.efi']);
  } finally {
    f.cleanup();
  }
});

test('report: with no iPXE anywhere it says so and how to get it', () => {
  const empty = mkdtempSync(join(tmpdir(), 'bootlab-fs-'));
  try {
    const r = firstStageReport({
      bootRoot: empty,
      names: DEFAULT_FIRST_STAGE,
      overrides: new Map(),
      systemDir: join(empty, 'none'),
      packageVersion: null,
    });
    assert.equal(r.howToGet, HOW_TO_GET_IPXE);
    assert.match(r.howToGet!, /apt-get install ipxe/);
    assert.ok(r.entries.every((e) => e.source === 'missing'));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('virtual files: system iPXE served by name (whole and ranges), boot root wins, nothing else leaks', async () => {
  const f = fakeSystem();
  try {
    const provide = systemIpxeProvider(f.root, f.sys);
    const vf = await provide('undionly.kpxe', { address: '10.77.0.100' });
    assert.equal(vf?.size, 5000);
    assert.equal(sha(await readAll(vf!.open())), sha(readFileSync(join(f.sys, 'undionly.kpxe'))));
    assert.equal((await readAll(vf!.open({ start: 10, end: 19 }))).length, 10, 'inclusive range');
    assert.equal((await provide('/undionly.kkpxe', { address: 'x' }))?.size, 100);
    writeFileSync(join(f.root, 'undionly.kpxe'), 'user build');
    assert.equal(
      await provide('undionly.kpxe', { address: 'x' }),
      undefined,
      'boot root file is served by TFTP/HTTP itself',
    );
    assert.equal(await provide('ipxe.efi', { address: 'x' }), undefined, 'not in the system dir');
    assert.equal(await provide('../sys/snponly.efi', { address: 'x' }), undefined);
    assert.equal(await provide('qemu/pxe-e1000.rom', { address: 'x' }), undefined);
  } finally {
    f.cleanup();
  }
});

test(
  'the real /usr/lib/ipxe, when installed, is reported and served',
  { skip: readSafe('/usr/lib/ipxe/undionly.kpxe') ? undefined : 'package ipxe not installed' },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'bootlab-fs-'));
    try {
      const vf = await systemIpxeProvider(root)('undionly.kpxe', { address: 'x' });
      assert.equal(sha(await readAll(vf!.open())), sha(readFileSync('/usr/lib/ipxe/undionly.kpxe')));
      const r = firstStageReport({ bootRoot: root, names: DEFAULT_FIRST_STAGE, overrides: new Map() });
      assert.equal(r.entries[0]!.source, 'system');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

function readSafe(p: string): boolean {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}
