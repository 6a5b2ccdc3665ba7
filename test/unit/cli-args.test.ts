import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli } from '../../services/cli-args.js';

test('serve flags become profile settings', () => {
  const cli = parseCli([
    'serve',
    '--interface',
    'eth0',
    '--dhcp',
    'full',
    '--pool',
    '10.77.0.100-10.77.0.199',
    '--http-port',
    '8080',
    '--ui-port',
    '0',
  ]);
  assert.equal(cli.command, 'serve');
  assert.deepEqual(cli.profilePatch, {
    interface: 'eth0',
    dhcp: { mode: 'full', pool: { start: '10.77.0.100', end: '10.77.0.199' } },
    http: { port: 8080 },
  });
  assert.deepEqual(cli.startServices, ['dhcp', 'tftp', 'http', 'syslog']);
});

test('--dhcp off does not start DHCP; --no-start starts nothing', () => {
  assert.deepEqual(parseCli(['serve', '--dhcp', 'off']).startServices, ['tftp', 'http', 'syslog']);
  assert.deepEqual(parseCli(['serve', '--no-start']).startServices, []);
});

test('bad values are explained', () => {
  assert.throws(() => parseCli(['serve', '--dhcp', 'maybe']), /auto, off, proxy or full/);
  assert.throws(() => parseCli(['serve', '--pool', '10.0.0.1']), /START-END/);
  assert.throws(() => parseCli(['serve', '--http-port', '70000']), /port number/);
  assert.throws(() => parseCli(['serve', '--force-full']), /only goes with --dhcp full/);
  assert.throws(() => parseCli(['serve', '--bogus']), /bogus/);
  assert.throws(() => parseCli(['launch']), /Unknown command/);
  assert.throws(() => parseCli(['boot']), /needs --kernel/);
  assert.throws(() => parseCli(['serve', '--kernel', 'x']), /go with "bootlab boot"/);
});

test('boot takes a kernel, several initrds and a command line', () => {
  const cli = parseCli([
    'boot',
    '--kernel',
    '/k',
    '--initrd',
    '/a',
    '--initrd',
    '/b',
    '--cmdline',
    'console=ttyS0',
  ]);
  assert.deepEqual(cli.quickBoot, { kernel: '/k', initrds: ['/a', '/b'], cmdline: 'console=ttyS0' });
});
