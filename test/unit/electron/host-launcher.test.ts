import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  explainExit,
  findOnPath,
  hostArgs,
  hostCommand,
  hostScriptRoot,
  HostStartError,
  launchHost,
  type LaunchDeps,
} from '../../../electron/host-launcher.js';

const node = process.execPath;

function deps(overrides: Partial<LaunchDeps> = {}) {
  const fetched: string[] = [];
  const d: LaunchDeps = {
    spawn: (command, args, options) => spawn(command, args, options),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    fetch: async (url) => void fetched.push(url),
    ...overrides,
  };
  return { d, fetched };
}

test('from a source checkout the host runs on the system node; packaged, on Electron as Node', () => {
  const base = {
    platform: 'linux' as const,
    execPath: '/opt/Bootlab/bootlab',
    env: {},
    which: () => '/usr/bin/node',
  };
  assert.deepEqual(hostCommand({ ...base, isPackaged: false }), { command: '/usr/bin/node', env: {} });
  assert.deepEqual(hostCommand({ ...base, isPackaged: true }), {
    command: '/opt/Bootlab/bootlab',
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.deepEqual(hostCommand({ ...base, isPackaged: false, which: () => undefined }).env, {
    ELECTRON_RUN_AS_NODE: '1',
  });
  assert.deepEqual(hostCommand({ ...base, isPackaged: true, env: { BOOTLAB_NODE: '/x/node' } }), {
    command: '/x/node',
    env: {},
  });
  assert.deepEqual(hostArgs('/app', '/home/t/.local/share/bootlab'), [
    '/app/dist/services/cli.js',
    'serve',
    '--data-dir',
    '/home/t/.local/share/bootlab',
  ]);
  const seen = new Set(['/b/node']);
  assert.equal(
    findOnPath('node', { PATH: '/a:/b:/c' }, (p) => seen.has(p)),
    '/b/node',
  );
  assert.equal(
    findOnPath('node', {}, () => true),
    undefined,
  );
});

test('a package runs the host from app.asar.unpacked (real files), a checkout from the repo', () => {
  assert.equal(
    hostScriptRoot('/opt/Bootlab/resources/app.asar', true),
    '/opt/Bootlab/resources/app.asar.unpacked',
  );
  assert.equal(hostScriptRoot('/home/t/bootlab', false), '/home/t/bootlab');
  assert.equal(
    hostArgs(hostScriptRoot('C:\\Program Files\\Bootlab\\resources\\app.asar', true), 'D')[0]!.startsWith(
      'C:\\Program Files\\Bootlab\\resources\\app.asar.unpacked',
    ),
    true,
  );
});

test('waits for the ready line, then stops the host through the API, stdin and SIGTERM', async () => {
  // A stand-in host: chatter on stderr, the ready line split in two writes, then waits for SIGTERM.
  const script = `
    process.stderr.write('bootlab: tftp failed: port 69 needs privileges\\n');
    process.stdout.write('Bootlab ready: http://127.0.0.1:4');
    setTimeout(() => process.stdout.write('1234/#token=abc\\n'), 50);
    process.on('SIGTERM', () => process.exit(0));
    setInterval(() => {}, 1000);`;
  const { d, fetched } = deps();
  const host = await launchHost({ command: node, args: ['-e', script] }, process.env, d);
  assert.equal(host.ready.url, 'http://127.0.0.1:41234/#token=abc');
  await host.stop();
  assert.deepEqual(fetched, ['http://127.0.0.1:41234/api/shutdown']);
  assert.ok(host.child.exitCode !== null || host.child.signalCode !== null, 'the host is gone');
});

test('a host that exits first is explained with what it printed', async () => {
  const { d } = deps();
  await assert.rejects(
    launchHost(
      {
        command: node,
        args: ['-e', "console.error('bootlab: The settings file is not valid JSON.'); process.exit(1)"],
      },
      process.env,
      d,
    ),
    (err: unknown) => {
      assert.ok(err instanceof HostStartError);
      assert.match(err.message, /stopped before it was ready \(exit code 1\)/);
      assert.match(err.output, /not valid JSON/);
      return true;
    },
  );
  await assert.rejects(
    launchHost({ command: '/nonexistent/node', args: [] }, process.env, d),
    /could not start its services host/,
  );
  await assert.rejects(
    launchHost({ command: node, args: ['-e', 'setInterval(() => {}, 1000)'] }, process.env, d, 300),
    /did not become ready in time/,
  );
});

test('an elevated host that writes to a file is followed there; a refused prompt is said plainly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-launcher-'));
  try {
    const out = join(dir, 'host.log');
    // The "elevation helper" starts the host in the background and returns, like osascript does.
    const background = `setTimeout(() => require('fs').appendFileSync(${JSON.stringify(out)}, 'Bootlab ready: http://127.0.0.1:40000/#token=zz\\n'), 300)`;
    const helper = `
      require('fs').writeFileSync(${JSON.stringify(out)}, 'starting\\n');
      require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(background)}], { detached: true, stdio: 'ignore' }).unref();`;
    const { d } = deps();
    const host = await launchHost({ command: node, args: ['-e', helper], outputFile: out }, process.env, d);
    assert.equal(host.ready.token, 'zz');
    writeFileSync(out, '');
    await assert.rejects(
      launchHost({ command: node, args: ['-e', 'process.exit(1)'], outputFile: out }, process.env, d),
      /Administrator rights were not granted/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.match(explainExit(126, null, 'pkexec'), /not granted/);
  assert.match(explainExit(1, null, 'pkexec'), /exit code 1/);
});
