import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import type { ServiceStateLite } from '../../../electron/control-client.js';
import { TrayController, trayMenu, trayStatus, trayTooltip, type TrayLike } from '../../../electron/tray.js';

const svc = (service: string, state: ServiceStateLite['state'], message?: string): ServiceStateLite => ({
  service,
  state,
  ...(message ? { error: { message } } : {}),
});

test('one tray state for stopped / running / a failure', () => {
  assert.equal(trayStatus([]), 'stopped');
  assert.equal(trayStatus([svc('dhcp', 'stopped'), svc('tftp', 'stopped')]), 'stopped');
  assert.equal(trayStatus([svc('dhcp', 'starting'), svc('tftp', 'stopped')]), 'running');
  assert.equal(trayStatus([svc('dhcp', 'running'), svc('tftp', 'running')]), 'running');
  assert.equal(trayStatus([svc('dhcp', 'running'), svc('tftp', 'failed', 'port 69 in use')]), 'failure');
  assert.match(
    trayTooltip([svc('dhcp', 'running'), svc('tftp', 'failed', 'Port 69 is in use by tftpd')]),
    /^Bootlab: TFTP failed \(Port 69 is in use by tftpd\)\. Open Bootlab/,
  );
  assert.equal(trayTooltip([svc('dhcp', 'running'), svc('http', 'running')]), 'Bootlab: serving DHCP, HTTP');
  assert.equal(trayTooltip([svc('dhcp', 'stopped')]), 'Bootlab: services stopped');
});

test('the menu: Open, Start all / Stop all enabled by state, Quit', () => {
  const calls: string[] = [];
  const actions = {
    open: () => calls.push('open'),
    startAll: () => calls.push('start'),
    stopAll: () => calls.push('stop'),
    quit: () => calls.push('quit'),
  };
  const item = (menu: MenuItemConstructorOptions[], label: RegExp) =>
    menu.find((i) => label.test(i.label ?? ''))!;
  const stopped = trayMenu([svc('dhcp', 'stopped'), svc('tftp', 'stopped')], actions);
  assert.deepEqual(
    stopped.map((i) => i.label ?? i.type),
    [
      'services stopped',
      'separator',
      'Open Bootlab',
      'Start all services',
      'Stop all services',
      'separator',
      'Quit Bootlab (stops the services)',
    ],
  );
  assert.equal(stopped[0]!.enabled, false);
  assert.equal(item(stopped, /^Start all/).enabled, true);
  assert.equal(item(stopped, /^Stop all/).enabled, false);
  const running = trayMenu([svc('dhcp', 'running'), svc('tftp', 'running')], actions);
  assert.equal(item(running, /^Start all/).enabled, false);
  assert.equal(item(running, /^Stop all/).enabled, true);
  const partly = trayMenu([svc('dhcp', 'running'), svc('tftp', 'failed')], actions);
  assert.equal(item(partly, /^Start all/).enabled, true, 'a failed service can be started again');
  for (const label of [/^Open/, /^Start all/, /^Stop all/, /^Quit/]) {
    (item(running, label).click as () => void)();
  }
  assert.deepEqual(calls, ['open', 'start', 'stop', 'quit']);
});

class FakeTray implements TrayLike {
  images: string[] = [];
  tooltip = '';
  menu: MenuItemConstructorOptions[] = [];
  destroyed = false;
  click: (() => void) | undefined;
  constructor(image: string) {
    this.images.push(image);
  }
  setImage(p: string) {
    this.images.push(p);
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: MenuItemConstructorOptions[]) {
    this.menu = m;
  }
  on(_e: 'click', fn: () => void) {
    this.click = fn;
  }
  destroy() {
    this.destroyed = true;
  }
}

function controller(services: ServiceStateLite[], startAll: () => Promise<void> = async () => {}) {
  let tray: FakeTray | undefined;
  const log: string[] = [];
  const c = new TrayController({
    createTray: (p) => (tray = new FakeTray(p)),
    iconPath: (s) => `/icons/tray-${s}.png`,
    client: { services: async () => services, startAll, stopAll: async () => void log.push('stopAll') },
    open: () => log.push('open'),
    quit: () => log.push('quit'),
    report: (title, message) => log.push(`report ${title}: ${message}`),
  });
  c.show();
  return { c, tray: () => tray!, log };
}

test('the tray follows the API: first GET /api/services, then service.state events; icon changes only on a new state', async () => {
  const { c, tray, log } = controller([svc('dhcp', 'stopped'), svc('tftp', 'stopped')]);
  assert.deepEqual(tray().images, ['/icons/tray-stopped.png']);
  await c.refresh();
  assert.deepEqual(tray().images, ['/icons/tray-stopped.png']);
  c.onEvents([
    { type: 'service.state', payload: svc('dhcp', 'running') },
    { type: 'log', payload: { message: 'x' } },
  ]);
  c.onEvents([{ type: 'service.state', payload: svc('tftp', 'running') }]);
  assert.deepEqual(tray().images, ['/icons/tray-stopped.png', '/icons/tray-running.png']);
  assert.equal(tray().tooltip, 'Bootlab: serving DHCP, TFTP');
  c.onEvents([{ type: 'service.state', payload: svc('tftp', 'failed', 'Port 69 is in use') }]);
  assert.equal(tray().images.at(-1), '/icons/tray-failure.png');
  assert.equal(c.status, 'failure');
  // Malformed payloads are ignored.
  c.onEvents([
    { type: 'service.state', payload: null },
    { type: 'service.state', payload: { service: 3 } },
  ]);
  assert.equal(c.services.length, 2);
  tray().click!();
  assert.deepEqual(log, ['open']);
  c.destroy();
  assert.ok(tray().destroyed);
});

test('Start all from the tray calls the API; a refusal is reported in plain words and the state re-read', async () => {
  const { c, tray, log } = controller([svc('dhcp', 'stopped')], async () => {
    throw new Error('DHCP could not start: port 67 is in use by dnsmasq.');
  });
  await c.refresh();
  (tray().menu.find((i) => i.label === 'Start all services')!.click as () => void)();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(log.length, 1);
  assert.match(
    log[0]!,
    /^report The services did not all start: DHCP could not start: port 67 is in use by dnsmasq\. Open Bootlab/,
  );
  (tray().menu.find((i) => i.label === 'Stop all services')!.click as () => void)();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(log.at(-1), 'stopAll');
});
