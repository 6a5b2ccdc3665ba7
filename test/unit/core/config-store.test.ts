import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepMerge } from '../../../services/core/config-store.js';
import { loadConfigStore } from '../../../services/load-config.js';
import type { BootlabError } from '../../../services/shared/errors.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'bootlab-cfg-'));

test('a missing file gives defaults; saving writes it', async () => {
  const path = join(tmp(), 'config.json');
  const store = loadConfigStore(path);
  assert.equal(store.profile.dhcp.mode, 'auto');
  assert.equal(store.profile.tftp.port, 69);
  await store.patchProfile({ interface: 'eth1', dhcp: { mode: 'proxy' } });
  const again = loadConfigStore(path);
  assert.equal(again.profile.interface, 'eth1');
  assert.equal(again.profile.dhcp.mode, 'proxy');
  assert.equal(again.profile.dhcp.port, 67, 'untouched fields keep their values');
});

test('invalid values are refused with the field named, and nothing is saved', async () => {
  const path = join(tmp(), 'config.json');
  const store = loadConfigStore(path);
  await assert.rejects(
    store.patchProfile({ dhcp: { pool: { start: '10.0.0.300', end: '10.0.0.1' } } }),
    (e: BootlabError) => {
      assert.equal(e.code, 'CONFIG_INVALID');
      // In words for people; the path travels in `fields` for the UI to mark the input.
      assert.match(e.message, /Address pool, first address: this is not an IPv4 address/);
      assert.doesNotMatch(e.message, /dhcp\.pool/);
      assert.deepEqual(
        e.fields?.map((f) => f.field),
        ['dhcp.pool.start'],
      );
      return true;
    },
  );
  assert.throws(() => readFileSync(path));
});

test('a corrupt file is reported with what to do, and never overwritten', () => {
  const dir = tmp();
  const path = join(dir, 'config.json');
  writeFileSync(path, '{"version": 1, "profiles": {');
  assert.throws(
    () => loadConfigStore(path),
    (e: BootlabError) => e.code === 'CONFIG_UNREADABLE' && /rename it/.test(e.hint),
  );
  assert.equal(readFileSync(path, 'utf8'), '{"version": 1, "profiles": {');
});

test('stale temporary files from an interrupted save are cleaned at load', () => {
  const dir = tmp();
  const path = join(dir, 'config.json');
  writeFileSync(join(dir, '.config.json.123.abcd.tmp'), '{"torn');
  loadConfigStore(path);
  assert.deepEqual(readdirSync(dir), []);
});

test('deepMerge merges objects and replaces arrays and scalars', () => {
  assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 }), {
    a: { b: 1, c: [3] },
    d: 2,
  });
});
