import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, symlink, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInBootRoot, splitRequestedPath } from '../../../services/core/boot-root.js';

let base: string;
let root: string;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'bootroot-'));
  root = join(base, 'root');
  await mkdir(join(root, 'Boot', 'x64'), { recursive: true });
  await mkdir(join(root, 'efi'), { recursive: true });
  await writeFile(join(root, 'Boot', 'x64', 'wdsnbp.com'), 'wds');
  await writeFile(join(root, 'efi', 'ipxe.efi'), 'efi');
  await writeFile(join(root, 'undionly.kpxe'), 'bios');
  await writeFile(join(root, '.secret'), 'no');
  await writeFile(join(base, 'outside.txt'), 'outside');
  await mkdir(join(base, 'outdir'));
  await writeFile(join(base, 'outdir', 'f'), 'outside');
  await symlink(join(base, 'outside.txt'), join(root, 'escape'));
  await symlink(join(base, 'outdir'), join(root, 'escapedir'));
  await symlink('undionly.kpxe', join(root, 'alias.kpxe'));
  await symlink('../outside.txt', join(root, 'rel-escape'));
  try {
    execFileSync('mkfifo', [join(root, 'fifo')]);
  } catch {
    /* mkfifo missing: the FIFO case is skipped below */
  }
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('serves a plain file and returns its real path and stat', async () => {
  const r = await resolveInBootRoot(root, 'undionly.kpxe');
  assert.equal(r.ok, true);
  if (r.ok) {
    assert.equal(r.path, join(root, 'undionly.kpxe'));
    assert.equal(r.stat.size, 4);
  }
});

test('maps backslashes to slashes and collapses "." and empty segments', async () => {
  for (const name of ['Boot\\x64\\wdsnbp.com', 'Boot/x64//wdsnbp.com', './Boot/./x64/wdsnbp.com']) {
    const r = await resolveInBootRoot(root, name);
    assert.equal(r.ok, true, name);
  }
});

test('case-insensitive fallback only when asked, exact match wins', async () => {
  const strict = await resolveInBootRoot(root, 'BOOT\\X64\\WDSNBP.COM');
  assert.deepEqual(strict.ok ? 'ok' : strict.reason, 'not-found');
  const loose = await resolveInBootRoot(root, 'BOOT\\X64\\WDSNBP.COM', { caseInsensitiveFallback: true });
  assert.equal(loose.ok, true);
  if (loose.ok) assert.equal(loose.path, join(root, 'Boot', 'x64', 'wdsnbp.com'));
  const missing = await resolveInBootRoot(root, 'boot/x64/nothere', { caseInsensitiveFallback: true });
  assert.equal(missing.ok ? 'ok' : missing.reason, 'not-found');
});

const refusals: [string, string][] = [
  ['../outside.txt', 'traversal'],
  ['efi/../../outside.txt', 'traversal'],
  ['..\\outside.txt', 'traversal'],
  ['efi\\..\\..\\outside.txt', 'traversal'],
  ['/etc/passwd', 'absolute'],
  ['\\etc\\passwd', 'absolute'],
  ['\\\\server\\share\\x', 'absolute'],
  ['C:\\Windows\\win.ini', 'absolute'],
  ['c:boot.ini', 'absolute'],
  ['undionly.kpxe\0.txt', 'nul'],
  ['%2e%2e/outside.txt', 'percent-encoding'],
  ['%2E%2E%2Foutside.txt', 'percent-encoding'],
  ['..%2foutside.txt', 'percent-encoding'],
  ['escape', 'symlink-escape'],
  ['rel-escape', 'symlink-escape'],
  ['escapedir/f', 'symlink-escape'],
  ['.secret', 'dotfile'],
  ['efi/.hidden', 'dotfile'],
  ['efi', 'not-a-file'],
  ['', 'not-a-file'],
  ['.', 'not-a-file'],
  ['nothere', 'not-found'],
  ['undionly.kpxe/x', 'not-found'],
];

for (const [name, reason] of refusals) {
  test(`refuses ${JSON.stringify(name)} as ${reason}`, async () => {
    const r = await resolveInBootRoot(root, name, { caseInsensitiveFallback: true });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.reason, reason);
      assert.ok(r.message.length > 10);
    }
  });
}

test('case-insensitive walk does not follow a symlinked directory out of the root', async () => {
  const r = await resolveInBootRoot(root, 'ESCAPEDIR/F', { caseInsensitiveFallback: true });
  assert.equal(r.ok ? 'ok' : r.reason, 'symlink-escape');
});

test('symlinks inside the root are followed', async () => {
  const r = await resolveInBootRoot(root, 'alias.kpxe');
  assert.equal(r.ok, true);
  if (r.ok) assert.equal(r.path, join(root, 'undionly.kpxe'));
});

test('devices and FIFOs are refused', async () => {
  const dev = await resolveInBootRoot('/dev', 'null');
  assert.equal(dev.ok ? 'ok' : dev.reason, 'not-a-file');
  const fifo = await resolveInBootRoot(root, 'fifo');
  assert.ok(!fifo.ok && (fifo.reason === 'not-a-file' || fifo.reason === 'not-found'));
});

test('dotfiles allowed when asked', async () => {
  const r = await resolveInBootRoot(root, '.secret', { allowDotfiles: true });
  assert.equal(r.ok, true);
});

test('a missing boot root is reported as not-found with what to do', async () => {
  const r = await resolveInBootRoot(join(base, 'nope'), 'x');
  assert.equal(r.ok ? 'ok' : r.reason, 'not-found');
});

test('splitRequestedPath is pure and returns segments', () => {
  assert.deepEqual(splitRequestedPath('a\\b//c'), ['a', 'b', 'c']);
});
