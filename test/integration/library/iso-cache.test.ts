/**
 * The ISO cache: an ISO is read once per content (a copy under another name reuses the inspection), and
 * cache entries of ISOs gone from the folder are deleted once unused for cacheKeepDays, while recent ones
 * and those of present ISOs stay.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { IsoLibrary, sha256File } from '../../../services/library/iso-library.js';

const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const skip =
  spawnSync('7z', ['i']).status !== 0
    ? '7-Zip is not installed (Debian package p7zip-full)'
    : existsSync(IPXE_ISO)
      ? false
      : 'ipxe.iso is missing (Debian package ipxe)';

const root = mkdtempSync(join(tmpdir(), 'bootlab-isocache-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the cache is keyed by content and pruned of long-unused entries', { skip }, async () => {
  const boot = join(root, 'boot');
  const cacheDir = join(root, 'cache');
  mkdirSync(join(boot, 'isos'), { recursive: true });
  copyFileSync(IPXE_ISO, join(boot, 'isos', 'a.iso'));
  const logs: string[] = [];
  const lib = new IsoLibrary({
    bootRoot: () => boot,
    folder: () => 'isos',
    cacheDir,
    overrides: () => ({}),
    onChange: () => {},
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    settleMs: 0,
    pollMs: 60_000,
    cacheKeepDays: 14,
  });
  const old = new Date(Date.now() - 20 * 24 * 3600 * 1000);
  const orphan = (name: string, when: Date): void => {
    mkdirSync(join(cacheDir, name, 'extracted'), { recursive: true });
    writeFileSync(join(cacheDir, name, 'inspection.json'), '{}');
    utimesSync(join(cacheDir, name, 'inspection.json'), when, when);
  };
  orphan('a'.repeat(32), old);
  orphan('b'.repeat(32), new Date());
  const key = (await sha256File(IPXE_ISO)).slice(0, 32);
  const ready = async (): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      await lib.scan();
      if (lib.views().length > 0 && lib.views().every((v) => v.state === 'ready')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`not ready: ${JSON.stringify(lib.views())} ${logs.join(' | ')}`);
  };
  try {
    await ready();
    assert.ok(existsSync(join(cacheDir, key, 'inspection.json')), 'the inspection is cached under the hash');
    // Once everything is ready the library cleans the cache by itself (then at most hourly).
    assert.ok(!existsSync(join(cacheDir, 'a'.repeat(32))), 'the long-unused orphan is gone');
    assert.ok(existsSync(join(cacheDir, 'b'.repeat(32))), 'a recently used orphan stays');
    // A copy under another name: same content, same cache entry, no second inspection file.
    copyFileSync(IPXE_ISO, join(boot, 'isos', 'b.iso'));
    await ready();
    assert.deepEqual(
      lib.views().map((v) => v.sha256?.slice(0, 32)),
      [key, key],
    );
    // Make the present ISO's entry look old too: it must stay because the ISO is there.
    utimesSync(join(cacheDir, key, 'inspection.json'), old, old);
    orphan('c'.repeat(32), old);
    const removed = await lib.pruneCache();
    assert.deepEqual(removed, ['c'.repeat(32)]);
    assert.ok(existsSync(join(cacheDir, key)), "a present ISO's entry stays");
    assert.ok(logs.some((l) => /Removed 1 unused ISO cache entry/.test(l)));
  } finally {
    lib.stop();
  }
});
