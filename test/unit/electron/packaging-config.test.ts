/**
 * electron-builder.json through electron-builder's own schema validation (app-builder-lib's
 * validateConfiguration, the same call `electron-builder` makes before building), plus the decisions the
 * file must keep: targets per OS, native modules and the host outside asar, rebuilt for Electron, fuses,
 * and the NSIS firewall rules for exactly the ports the services use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { portsFromConfig } from '../../../electron/elevation.js';
import { makeIcons } from '../../../scripts/make-icons.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = () => JSON.parse(readFileSync(`${root}electron-builder.json`, 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Record<string, any>;

test('electron-builder.json passes electron-builder’s schema validation', async () => {
  await validateConfiguration(config(), new DebugLogger(false));
});

test('the validator really runs: a misspelt option is refused with electron-builder’s message', async () => {
  const bad = config();
  bad.nsis.oneclick = false;
  await assert.rejects(validateConfiguration(bad, new DebugLogger(false)), /configuration\.nsis/);
  const bad2 = config();
  bad2.electronFuses.runAsNodes = true;
  await assert.rejects(validateConfiguration(bad2, new DebugLogger(false)), /electronFuses/);
});

test('targets, app id, version from package.json, npm run dist', () => {
  const c = config();
  assert.equal(c.appId, 'org.bootlab.desktop');
  assert.equal(c.productName, 'Bootlab');
  assert.equal(c.version, undefined, 'the version comes from package.json');
  assert.equal(c.extraMetadata?.version, undefined);
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(c.win.target, ['nsis']);
  assert.deepEqual(c.mac.target, ['dmg']);
  assert.equal(c.win.icon, 'build/icons/icon.ico');
  assert.equal(c.mac.icon, 'build/icons/icon.icns');
  assert.equal(c.linux.icon, 'build/icons/png');
  assert.match(pkg.scripts.dist, /npm run build && npm run icons && electron-builder/);
  assert.equal(pkg.main, 'dist/electron/main.js');
  assert.ok(pkg.devDependencies['electron-builder'], 'electron-builder is a pinned dev dependency');
  assert.match(pkg.devDependencies['electron-builder'], /^\d+\.\d+\.\d+$/);
});

test('the services host and native modules stay outside asar and are rebuilt for Electron', () => {
  const c = config();
  assert.equal(c.asar, true);
  for (const path of [
    'package.json',
    'dist/services/**',
    'dist/renderer/**',
    'assets/catalog/**',
    'node_modules/**',
  ]) {
    assert.ok(c.asarUnpack.includes(path), path);
  }
  assert.equal(c.npmRebuild, true, 'native modules rebuilt for Electron’s ABI while packaging');
  assert.equal(c.buildDependenciesFromSource, false, 'prebuilt Electron binaries when published');
  for (const native of ['better-sqlite3', 'node-pty']) assert.ok(pkg.dependencies[native], native);
});

test('fuses: RunAsNode kept for the services host, everything else locked down', () => {
  assert.deepEqual(config().electronFuses, {
    runAsNode: true,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
});

test('the NSIS include opens exactly the services’ default ports, for Bootlab’s program, and removes them', () => {
  const c = config();
  assert.equal(c.nsis.include, 'packaging/installer.nsh');
  assert.equal(c.nsis.perMachine, true, 'firewall rules need the elevated installer');
  const nsh = readFileSync(`${root}packaging/installer.nsh`, 'utf8');
  const define = (name: string) => new RegExp(`!define ${name} "([^"]+)"`).exec(nsh)![1]!;
  const udp = define('BOOTLAB_UDP_PORTS')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const tcp = define('BOOTLAB_TCP_PORTS').split(',').map(Number);
  const defaults = portsFromConfig(undefined);
  assert.deepEqual(
    udp,
    defaults
      .filter((n) => n.service !== 'http')
      .map((n) => n.port)
      .sort((a, b) => a - b),
  );
  assert.deepEqual(udp, [67, 69, 514, 4011]);
  assert.deepEqual(
    tcp,
    defaults.filter((n) => n.service === 'http').map((n) => n.port),
  );
  assert.match(
    nsh,
    /!macro customInstall[\s\S]*add rule name="\$\{BOOTLAB_FW_UDP\}" dir=in action=allow protocol=UDP localport=\$\{BOOTLAB_UDP_PORTS\} program="\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}"/,
  );
  assert.match(
    nsh,
    /add rule name="\$\{BOOTLAB_FW_TCP\}" dir=in action=allow protocol=TCP localport=\$\{BOOTLAB_TCP_PORTS\}/,
  );
  assert.match(nsh, /!macro customUnInstall\s+!insertmacro bootlabDeleteFirewallRules/);
});

const makensis = spawnSync('makensis', ['-VERSION'], { encoding: 'utf8' });
const nsisMissing = makensis.status === 0 ? false : 'makensis is missing (Debian package nsis)';

test(
  'the NSIS include and the generated ICO compile with makensis, warnings as errors',
  { skip: nsisMissing },
  () => {
    // electron-builder's installer template defines APP_EXECUTABLE_FILENAME and inserts customInstall /
    // customUnInstall; this stand-in does the same around our include.
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-nsis-'));
    try {
      makeIcons(join(root, 'assets', 'icons', 'bootlab.svg'), join(dir, 'icons'));
      writeFileSync(
        join(dir, 'check.nsi'),
        [
          'Unicode true',
          '!define APP_EXECUTABLE_FILENAME "Bootlab.exe"',
          `!include "${join(root, 'packaging', 'installer.nsh')}"`,
          'Name "Bootlab include check"',
          'OutFile "check.exe"',
          // The generated icon as installer and uninstaller icon (nsis.installerIcon / uninstallerIcon).
          `Icon "${join(dir, 'icons', 'icon.ico')}"`,
          `UninstallIcon "${join(dir, 'icons', 'icon.ico')}"`,
          'InstallDir "$PROGRAMFILES64\\Bootlab"',
          'RequestExecutionLevel admin',
          'Section "Install"',
          '  !insertmacro customInstall',
          '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
          'SectionEnd',
          'Section "Uninstall"',
          '  !insertmacro customUnInstall',
          'SectionEnd',
          '',
        ].join('\n'),
      );
      const run = spawnSync('makensis', ['-V2', '-WX', 'check.nsi'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.ok(existsSync(join(dir, 'check.exe')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
