import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { EventBus } from '../../../services/core/bus.js';
import { QemuVm } from '../../../services/lab/qemu-runner.js';
import { waitFor } from '../../helpers/netns.js';

/**
 * The runner's controls on a real QEMU, no network needed (user networking, nothing to boot): the console
 * streams as lab.console events, reset (QMP system_reset) restarts the firmware, stop (QMP quit) ends QEMU.
 */
const skip =
  spawnSync('qemu-system-x86_64', ['--version']).status === 0
    ? undefined
    : 'qemu-system-x86_64 is not installed (Debian package qemu-system-x86)';

test('console events, reset and stop through QMP', { skip }, async () => {
  const bus = new EventBus();
  let events = '';
  bus.on('lab.console', (p) => (events += p.data));
  const vm = new QemuVm({
    firmware: 'bios',
    network: { mode: 'user', bootUrl: 'http://127.0.0.1:9/none.ipxe' },
    memoryMb: 256,
    bus,
  });
  vm.start();
  try {
    await vm.waitForConsole('iPXE', 60_000);
    assert.ok(events.includes('SeaBIOS'), 'the console arrived as lab.console events');
    const banners = (): number => (vm.consoleText().match(/SeaBIOS \(version/g) ?? []).length;
    assert.equal(banners(), 1);
    await vm.reset();
    await waitFor('the firmware to start again after reset', () => banners() === 2, 60_000);
    assert.ok(vm.running());
  } finally {
    await vm.stop();
  }
  const exit = await vm.waitForExit();
  assert.ok(!vm.running());
  assert.ok(exit.code === 0 || exit.signal !== null, `QEMU ended (code ${exit.code}, signal ${exit.signal})`);
});
