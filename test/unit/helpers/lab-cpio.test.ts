import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildCpio } from '../../helpers/lab-cpio.js';

const haveCpio = spawnSync('cpio', ['--version']).status === 0;

test(
  'the initramfs writer produces a newc archive GNU cpio lists and extracts',
  { skip: haveCpio ? undefined : 'cpio is not installed' },
  () => {
    const archive = buildCpio([
      { type: 'dir', path: 'bin' },
      { type: 'file', path: 'bin/hello', data: Buffer.from('hello\n'), mode: 0o755 },
      { type: 'symlink', path: 'bin/sh', target: 'hello' },
      { type: 'chardev', path: 'console', major: 5, minor: 1 },
    ]);
    assert.equal(archive.length % 4, 0);
    const list = spawnSync('cpio', ['-itv', '--quiet'], { input: archive, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /crw------- .* 5, +1 .*console/);
    assert.match(list.stdout, /bin\/sh -> hello/);
    const dir = mkdtempSync(join(tmpdir(), 'cpio-test-'));
    try {
      const x = spawnSync(
        'cpio',
        ['-id', '--quiet', '--no-absolute-filenames', 'bin', 'bin/hello', 'bin/sh'],
        { input: archive, cwd: dir },
      );
      assert.equal(x.status, 0, String(x.stderr));
      assert.equal(readFileSync(join(dir, 'bin/hello'), 'utf8'), 'hello\n');
      assert.equal(statSync(join(dir, 'bin/hello')).mode & 0o777, 0o755);
      assert.equal(readlinkSync(join(dir, 'bin/sh')), 'hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
