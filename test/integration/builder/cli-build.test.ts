import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { IPXE_CACHE_DIR, ipxeBuildUnavailableReason, ipxeSourceTarball } from '../../helpers/ipxe-build.js';
import { imageText } from '../../helpers/ipxe-image.js';

/**
 * `bootlab build` (the real CLI, services/cli.ts): a real build from the shared snapshot tarball into the
 * shared test cache (the work tree of real-builds.test.ts's BIOS configuration, so make only rebuilds the
 * script), the artifact's path as the last line, and the same path again from the cache without make.
 * Refusals come before anything runs, with exit status 2.
 */
const CLI = resolve('services/cli.ts');
const skip = ipxeBuildUnavailableReason({ targets: ['bin/undionly.kpxe'] });

function bootlab(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'build', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 40 * 60_000,
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    lastLine: r.stdout.trim().split('\n').pop() ?? '',
  };
}

describe('bootlab build', { skip, timeout: 45 * 60_000 }, () => {
  test('builds, prints the path last; the same command again is a cache hit with the same path', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-cli-build-'));
    try {
      const script = join(dir, 'my.ipxe');
      writeFileSync(
        script,
        `#!ipxe\n# cli build ${Date.now()}\ndhcp\nchain http://\${next-server}:8080/boot.ipxe\n`,
      );
      const args = [
        '--source',
        ipxeSourceTarball(),
        '--target',
        'bin/undionly.kpxe',
        '--feature',
        'syslog',
        '--embed',
        script,
        '--data-dir',
        IPXE_CACHE_DIR,
      ];
      const started = Date.now();
      const first = bootlab(args);
      t.diagnostic(`first run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(first.status, 0, first.stderr + first.stdout.slice(-2000));
      assert.match(
        first.stdout,
        /\$ make -j2 bin\/undionly\.kpxe CONFIG=bootlab EMBED=bootlab-files\/embed\.ipxe/,
      );
      assert.match(first.lastLine, /^\/.*\/builder\/artifacts\/[0-9a-f]+\/undionly\.kpxe$/);
      assert.ok(imageText(first.lastLine).includes('# cli build'), 'the image holds the --embed script');
      const second = bootlab(args);
      assert.equal(second.status, 0, second.stderr);
      assert.equal(second.lastLine, first.lastLine);
      assert.doesNotMatch(second.stdout, /\$ make/, 'make did not run');
      assert.match(second.stderr, /Served from the cache: make did not run/);
      assert.equal(readFileSync(second.lastLine).length > 50_000, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('wrong input is refused before anything runs (exit 2, what to do)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-cli-refuse-'));
    try {
      const bad = join(dir, 'bad.ipxe');
      writeFileSync(bad, 'dhcp\n');
      const noTarget = bootlab(['--source', ipxeSourceTarball(), '--data-dir', dir]);
      assert.equal(noTarget.status, 2);
      assert.match(noTarget.stderr, /Say what to build: --target/);
      const badTarget = bootlab(['--source', ipxeSourceTarball(), '--target', 'bin/x;rm', '--data-dir', dir]);
      assert.equal(badTarget.status, 2);
      assert.match(badTarget.stderr, /targets\.0: must be one of the catalogue's targets/);
      const badScript = bootlab([
        '--source',
        ipxeSourceTarball(),
        '--target',
        'bin/undionly.kpxe',
        '--embed',
        bad,
        '--data-dir',
        dir,
      ]);
      assert.equal(badScript.status, 2);
      assert.match(badScript.stderr, /first line must be exactly "#!ipxe"/);
      const badFeature = bootlab([
        '--source',
        ipxeSourceTarball(),
        '--target',
        'bin/undionly.kpxe',
        '--feature',
        'telnet',
        '--data-dir',
        dir,
      ]);
      assert.equal(badFeature.status, 2);
      assert.match(badFeature.stderr, /features\.0: must be one of syslog/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
