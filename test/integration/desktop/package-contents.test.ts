/**
 * Runs electron-builder itself (the CLI `npm run dist` uses) on this repo's electron-builder.json and lists
 * what goes into the package. Electron's binary cannot be downloaded here, so the test hands electron-builder
 * a stand-in Electron folder (electronDist) whose binary carries the real fuse sentinel; that lets the
 * packaging step, asar (un)packing and the fuse flip all run for real. Only the native-module rebuild is
 * switched off (npmRebuild=false): it needs Electron's headers from the internet. The stand-in app has stub
 * dist/ files (the layout is under test, not the code) and the real node_modules (hard links).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeIcons } from '../../../scripts/make-icons.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const { SENTINEL } = require('@electron/fuses/dist/constants.js') as { SENTINEL: string };
const asar = require('@electron/asar') as { listPackage(path: string, options?: object): string[] };
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  version: string;
};

/** The fuse wire Electron ships (V1, 8 fuses): RunAsNode on, CookieEncryption off, NodeOptions on, … */
const SHIPPED_WIRE = '10110001';

function stageApp(dir: string): string {
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.json'])
    cpSync(join(repo, f), join(app, f));
  cpSync(join(repo, 'packaging'), join(app, 'packaging'), { recursive: true });
  cpSync(join(repo, 'assets/catalog'), join(app, 'assets/catalog'), { recursive: true });
  const stubs: Record<string, string> = {
    'dist/electron/main.js': 'export {};\n',
    'dist/electron/preload.cjs': 'module.exports = {};\n',
    'dist/electron/main.js.map': '{}',
    'dist/services/cli.js': 'export {};\n',
    'dist/renderer/index.html': '<!doctype html><title>Bootlab</title>\n',
  };
  for (const [rel, text] of Object.entries(stubs)) {
    mkdirSync(join(app, rel, '..'), { recursive: true });
    writeFileSync(join(app, rel), text);
  }
  makeIcons(join(repo, 'assets/icons/bootlab.svg'), join(app, 'build/icons'));
  // Hard links: instant on one file system; a full copy otherwise.
  const linked = spawnSync('cp', ['-al', join(repo, 'node_modules'), join(app, 'node_modules')]);
  if (linked.status !== 0) cpSync(join(repo, 'node_modules'), join(app, 'node_modules'), { recursive: true });
  return app;
}

function fakeElectronDist(dir: string): string {
  const dist = join(dir, 'electron-dist');
  mkdirSync(dist);
  writeFileSync(
    join(dist, 'electron'),
    Buffer.concat([
      Buffer.from(`#!/bin/sh\n# ${SENTINEL}`),
      Buffer.from([1, 8]),
      Buffer.from(`${SHIPPED_WIRE}\n`),
    ]),
    { mode: 0o755 },
  );
  writeFileSync(join(dist, 'version'), require('electron/package.json').version);
  return dist;
}

test('electron-builder packs the Linux app: host and native modules unpacked, devDependencies left out, fuses flipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-pack-'));
  try {
    const app = stageApp(dir);
    const out = join(dir, 'out');
    const run = spawnSync(
      process.execPath,
      [
        join(repo, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${fakeElectronDist(dir)}`,
        `-c.electronVersion=${require('electron/package.json').version}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${out}`,
      ],
      { cwd: app, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CI: 'true' } },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stdout + run.stderr, /cannot find path for dependency/);

    const resources = join(out, 'linux-unpacked', 'resources');
    const unpacked = join(resources, 'app.asar.unpacked');
    const inAsar = asar.listPackage(join(resources, 'app.asar'), { isPack: false });
    assert.ok(inAsar.includes('/dist/electron/main.js') && inAsar.includes('/package.json'));
    assert.ok(!inAsar.some((p) => p.endsWith('.map')), 'no source maps');

    // The services host runs from real files: its script, the UI it serves, and the package type.
    assert.ok(existsSync(join(unpacked, 'dist/services/cli.js')));
    assert.ok(existsSync(join(unpacked, 'dist/renderer/index.html')));
    // The boot library's shipped catalog, found from dist/services/library via ../../../assets.
    assert.ok(existsSync(join(unpacked, 'assets/catalog/catalog.json')));
    assert.ok(!inAsar.includes('/assets/icons/bootlab.svg'), 'only the catalog of assets/ is packaged');
    assert.equal(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')).type, 'module');
    assert.equal(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')).version, pkg.version);
    // Native modules unpacked.
    for (const native of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/node-pty/build/Release/pty.node',
    ]) {
      assert.ok(existsSync(join(unpacked, native)), native);
    }
    // Every production dependency is there, and resolvable from the host's folder …
    for (const dep of Object.keys(pkg.dependencies)) {
      assert.ok(existsSync(join(unpacked, 'node_modules', dep, 'package.json')), dep);
    }
    // … so the unpacked tree alone loads the native SQLite module (built for this Node, as npmRebuild is off
    // here; a real `npm run dist` rebuilds it for Electron).
    const load = spawnSync(
      process.execPath,
      [
        '-e',
        "const D=require('better-sqlite3'); const db=new D(':memory:'); console.log(db.prepare('select 41+1 as x').get().x)",
      ],
      { cwd: join(unpacked, 'dist/services'), encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
    );
    assert.equal(load.stdout.trim(), '42', load.stderr);
    // better-sqlite3's SQLite and C++ sources (about 10 MB) are build inputs only.
    assert.ok(!existsSync(join(unpacked, 'node_modules/better-sqlite3/deps')));
    assert.ok(!existsSync(join(unpacked, 'node_modules/better-sqlite3/src')));
    // Build tools and Electron itself stay out.
    for (const dev of ['electron', 'electron-builder', 'typescript', 'vite', 'tsx', '@resvg/resvg-js']) {
      assert.ok(!existsSync(join(unpacked, 'node_modules', dev)), `${dev} is not packaged`);
    }
    // Tray pictures as resources.
    for (const s of ['stopped', 'running', 'failure'])
      assert.ok(existsSync(join(resources, 'tray', `tray-${s}.png`)));

    // The binary is renamed and its fuses flipped as electron-builder.json says.
    const bin = readFileSync(join(out, 'linux-unpacked', 'bootlab'));
    const at = bin.indexOf(SENTINEL) + SENTINEL.length;
    assert.equal(bin[at], 1, 'fuse wire version');
    assert.equal(bin.subarray(at + 2, at + 2 + bin[at + 1]!).toString('latin1'), '11001100');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
