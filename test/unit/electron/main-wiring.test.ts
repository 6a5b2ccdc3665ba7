/**
 * Runs electron/main.ts itself under plain Node with `electron` replaced by a fake (a resolve hook), and a
 * stand-in services host at <app>/dist/services/cli.js. Proves the real wiring: one-instance lock, the IPC
 * handlers, the host spawned with the data folder, the window opened on the ready URL with the secure
 * options, CSP and navigation guard installed, and the host stopped on quit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const register = fileURLToPath(new URL('./fixtures/register-fake-electron.mjs', import.meta.url));

function runMain(env: Record<string, string>) {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', register, join(repo, 'electron/main.ts')],
    {
      cwd: repo,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const events = out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event: string } & Record<string, unknown>);
  return { status: out.status, stderr: out.stderr, events };
}

test('main.ts wires the real pieces: host, window, security, shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-main-'));
  try {
    const appPath = join(dir, 'app');
    mkdirSync(join(appPath, 'dist/services'), { recursive: true });
    // Stand-in host: records its arguments, prints the ready line, records SIGTERM.
    writeFileSync(
      join(appPath, 'dist/services/cli.js'),
      `const fs = require('fs');
       fs.writeFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify(process.argv.slice(2)));
       process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(join(dir, 'terminated'))}, ''); process.exit(0); });
       console.log('Bootlab ready: http://127.0.0.1:1/#token=stub');
       setInterval(() => {}, 1000);`,
    );
    writeFileSync(join(appPath, 'package.json'), '{"type":"commonjs"}');
    const { status, stderr, events } = runMain({
      FAKE_APP_PATH: appPath,
      XDG_DATA_HOME: join(dir, 'data'),
      BOOTLAB_NODE: process.execPath,
    });
    assert.equal(status, 0, stderr);
    const names = events.map((e) => e.event);
    assert.equal(names[0], 'lock');
    assert.deepEqual(
      events.filter((e) => e.event === 'ipc').map((e) => e.channel),
      ['bootlab:pick-file', 'bootlab:pick-folder', 'bootlab:open-external'],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')), [
      'serve',
      '--data-dir',
      join(dir, 'data', 'bootlab'),
    ]);
    const win = events.find((e) => e.event === 'window') as unknown as {
      options: { webPreferences: Record<string, unknown> };
    };
    assert.equal(win.options.webPreferences.sandbox, true);
    assert.equal(win.options.webPreferences.contextIsolation, true);
    assert.equal(win.options.webPreferences.nodeIntegration, false);
    assert.ok(String(win.options.webPreferences.preload).endsWith(join('electron', 'preload.cjs')));
    assert.deepEqual(
      events.find((e) => e.event === 'load'),
      { event: 'load', url: 'http://127.0.0.1:1/#token=stub', guarded: true },
    );
    assert.ok(
      names.includes('csp') && names.includes('permissions') && names.includes('window-open-handler'),
    );
    // The tray starts in the stopped picture from build/icons/tray (from source) and goes away on quit.
    assert.deepEqual(
      events.find((e) => e.event === 'tray'),
      { event: 'tray', image: join(appPath, 'build', 'icons', 'tray', 'tray-stopped.png') },
    );
    assert.ok(names.includes('tray-destroy'));
    assert.ok(names.includes('quit'));
    assert.ok(!names.includes('error'), JSON.stringify(events.filter((e) => e.event === 'error')));
    assert.ok(existsSync(join(dir, 'terminated')), 'the host was stopped on quit');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second instance quits before starting anything', () => {
  const { status, events } = runMain({ FAKE_LOCK: '0', FAKE_APP_PATH: '/nonexistent' });
  assert.equal(status, 0);
  assert.deepEqual(
    events.map((e) => e.event),
    ['lock', 'quit'],
  );
});
