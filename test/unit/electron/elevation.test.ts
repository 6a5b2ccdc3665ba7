import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideElevation,
  elevatedCommand,
  elevationPrompt,
  firstUnprivilegedPort,
  portsFromConfig,
  type PrivilegeFacts,
} from '../../../electron/elevation.js';

const user: PrivilegeFacts = {
  platform: 'linux',
  uid: 1000,
  unprivilegedPortStart: 1024,
  hasBindCapability: false,
};

test('a fresh install (no config file) needs the standard ports', () => {
  assert.deepEqual(portsFromConfig(undefined), [
    { service: 'dhcp', port: 67, optional: false },
    { service: 'dhcp', port: 4011, optional: false },
    { service: 'tftp', port: 69, optional: false },
    { service: 'http', port: 80, optional: true },
    { service: 'syslog', port: 514, optional: false },
  ]);
});

test('ports come from the active profile; DHCP off and disabled services need none', () => {
  const config = {
    activeProfile: 'bench',
    profiles: {
      default: { dhcp: { mode: 'full' } },
      bench: {
        dhcp: { mode: 'off' },
        tftp: { port: 16969 },
        http: { enabled: false },
        syslog: { enabled: false },
      },
    },
  };
  assert.deepEqual(portsFromConfig(config), [{ service: 'tftp', port: 16969, optional: false }]);
  // Garbage does not throw: defaults apply.
  assert.equal(portsFromConfig({ profiles: 'nope' }).length, 5);
});

test('an ordinary Linux user must elevate for 67, 69 and 514 but not for 4011 or HTTP (8080 fallback)', () => {
  const d = decideElevation(portsFromConfig(undefined), user);
  assert.equal(d.elevate, true);
  assert.deepEqual(
    d.blocked.map((n) => n.port),
    [67, 69, 514],
  );
  const words = elevationPrompt(d, 'linux');
  assert.match(words.detail, /DHCP port 67, TFTP port 69, SYSLOG port 514/);
  assert.match(words.detail, /pkexec/);
});

test('macOS asks for the password only when a port below 1024 is bound (the services bind a specific address)', () => {
  const mac = { platform: 'darwin' as const, uid: 501, darwinMajor: 23 };
  const d = decideElevation(portsFromConfig(undefined), mac);
  assert.equal(d.elevate, true);
  assert.deepEqual(
    d.blocked.map((n) => n.port),
    [67, 69, 514],
  );
  const onlyHttp80 = portsFromConfig({
    profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
  });
  assert.equal(
    decideElevation(onlyHttp80, mac).elevate,
    false,
    'HTTP 80 alone falls back to 8080: no prompt',
  );
  assert.match(elevationPrompt(d, 'darwin').detail, /macOS will ask for your password/);
});

test('no elevation when the ports are allowed anyway', () => {
  const needs = portsFromConfig(undefined);
  assert.equal(decideElevation(needs, { ...user, uid: 0 }).elevate, false, 'root');
  assert.equal(decideElevation(needs, { ...user, hasBindCapability: true }).elevate, false, 'setcap');
  assert.equal(decideElevation(needs, { ...user, unprivilegedPortStart: 0 }).elevate, false, 'sysctl');
  assert.equal(decideElevation(needs, { platform: 'win32', uid: undefined }).elevate, false, 'Windows');
  assert.equal(
    decideElevation(needs, { platform: 'darwin', uid: 0, darwinMajor: 23 }).elevate,
    false,
    'macOS root',
  );
  assert.equal(
    decideElevation(needs, { platform: 'darwin', uid: 501, darwinMajor: 17 }).elevate,
    true,
    'macOS 10.13',
  );
  const testPorts = portsFromConfig({
    profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
  });
  assert.equal(decideElevation(testPorts, user).elevate, false, 'high test ports');
  assert.equal(
    decideElevation(testPorts, { platform: 'darwin', uid: 501, darwinMajor: 23 }).elevate,
    false,
    'macOS: no password prompt unless a port below 1024 is bound',
  );
  assert.equal(firstUnprivilegedPort({ ...user, unprivilegedPortStart: 80 }), 80);
});

test('the elevated command keeps the host command and its environment', () => {
  const base = {
    command: '/usr/bin/node',
    args: ['/opt/bootlab/dist/services/cli.js', 'serve', '--data-dir', "/home/o'brien/x"],
  };
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  const linux = elevatedCommand('linux', base, env, '/tmp/host.log');
  assert.equal(linux.command, 'pkexec');
  assert.deepEqual(linux.args, ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', ...[base.command, ...base.args]]);
  assert.equal(linux.outputFile, undefined, 'pkexec keeps stdout');

  const mac = elevatedCommand('darwin', base, env, '/tmp/host.log');
  assert.equal(mac.command, '/usr/bin/osascript');
  assert.equal(mac.outputFile, '/tmp/host.log');
  assert.match(mac.args[1]!, /with administrator privileges$/);
  assert.ok(mac.args[1]!.includes(`'/home/o'\\\\''brien/x'`), mac.args[1]);

  const win = elevatedCommand('win32', base, env, 'C:/Temp/host.log');
  assert.equal(win.command, 'powershell.exe');
  assert.match(win.args.at(-1)!, /Start-Process -Verb RunAs/);
  assert.match(win.args.at(-1)!, /C:\/Temp\/host\.log/);
  assert.throws(() => elevatedCommand('aix', base, env, '/tmp/x'), /cannot ask for administrator rights/);
});
