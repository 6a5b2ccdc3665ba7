import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../services/core/bus.js';
import { loadConfigStore } from '../../../services/load-config.js';
import type { NetInterface, ServiceName } from '../../../services/shared/events.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import type { BootService } from '../../../services/core/service.js';
import { Supervisor } from '../../../services/core/supervisor.js';

const lan: NetInterface = {
  name: 'lan0',
  mac: '52:54:00:00:00:01',
  up: true,
  internal: false,
  ipv4: [{ address: '10.77.0.1', netmask: '255.255.255.0', cidr: '10.77.0.1/24' }],
};

/** A service that records the boot folder each start was given. */
function recorder(name: ServiceName): BootService & { roots: string[]; stops: number } {
  return {
    name,
    roots: [],
    stops: 0,
    async start(ctx) {
      this.roots.push(ctx.bootRoot);
      return { listening: [`udp ${ctx.network.address}:1`] };
    },
    async stop() {
      this.stops++;
    },
  };
}

async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-apply-'));
  const bus = new EventBus();
  const store = loadConfigStore(join(dataDir, 'config.json'));
  mkdirSync(join(dataDir, 'boot'));
  await store.patchProfile({ interface: 'lan0' });
  const services = {
    dhcp: recorder('dhcp'),
    tftp: recorder('tftp'),
    http: recorder('http'),
    syslog: recorder('syslog'),
  };
  const sup = new Supervisor({
    bus,
    store,
    dataDir,
    runtime: new Runtime(),
    log: createLogger(bus, 't', { quiet: true }),
    factories: {
      dhcp: () => services.dhcp,
      tftp: () => services.tftp,
      http: () => services.http,
      syslog: () => services.syslog,
    },
    listInterfaces: () => [lan],
  });
  return { sup, store, services, dataDir };
}

test('a new boot folder restarts the running file servers with it; stopped services stay stopped', async () => {
  const { sup, store, services, dataDir } = await setup();
  await sup.start('tftp');
  await sup.start('http');
  mkdirSync(join(dataDir, 'other'));
  await store.patchProfile({ bootRoot: join(dataDir, 'other') });
  assert.deepEqual(await sup.settingsApplied(), ['http', 'tftp']);
  assert.equal(services.tftp.roots.at(-1), join(dataDir, 'other'));
  assert.equal(services.http.roots.at(-1), join(dataDir, 'other'));
  assert.equal(services.tftp.stops, 1);
  assert.equal(services.dhcp.roots.length, 0, 'a stopped service is not started by a save');
  assert.equal(sup.state('tftp').state, 'running');
});

test("a change to one service's own section restarts only that service; the menu restarts nothing", async () => {
  const { sup, store, services } = await setup();
  await sup.startAll(['tftp', 'http', 'syslog']);
  await store.patchProfile({ tftp: { maxWindowSize: 8 } });
  assert.deepEqual(await sup.settingsApplied(), ['tftp']);
  await store.patchProfile({ menu: { menus: [{ id: 'main', title: 'Changed', entries: [] }] } });
  assert.deepEqual(await sup.settingsApplied(), []);
  assert.equal(services.http.stops, 0);
  assert.equal(services.syslog.stops, 0);
  assert.equal(services.tftp.roots.length, 2);
});
