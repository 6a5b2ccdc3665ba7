import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../services/core/bus.js';
import { loadConfigStore } from '../../../services/load-config.js';
import { BootlabError } from '../../../services/shared/errors.js';
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

function fake(name: ServiceName, fail?: BootlabError): BootService & { starts: number; stops: number } {
  return {
    name,
    starts: 0,
    stops: 0,
    async start(ctx) {
      this.starts++;
      if (fail) throw fail;
      return { listening: [`udp ${ctx.network.address}:1`] };
    },
    async stop() {
      this.stops++;
    },
  };
}

async function setup(interfaces: NetInterface[], failTftp?: BootlabError) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-sup-'));
  const bus = new EventBus();
  const store = loadConfigStore(join(dataDir, 'config.json'));
  await store.patchProfile({ interface: 'lan0' });
  const services = {
    dhcp: fake('dhcp'),
    tftp: fake('tftp', failTftp),
    http: fake('http'),
    syslog: fake('syslog'),
  };
  const events: string[] = [];
  bus.on('service.state', (s) => events.push(`${s.service}:${s.state}`));
  let current = interfaces;
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
    listInterfaces: () => current,
  });
  return { sup, services, events, setInterfaces: (i: NetInterface[]) => (current = i) };
}

test('start and stop report starting → running → stopping → stopped', async () => {
  const { sup, events } = await setup([lan]);
  const s = await sup.start('http');
  assert.equal(s.state, 'running');
  assert.deepEqual(s.listening, ['udp 10.77.0.1:1']);
  await sup.stop('http');
  assert.deepEqual(events, ['http:starting', 'http:running', 'http:stopping', 'http:stopped']);
});

test('a failing service reports failed with its reason; others keep running', async () => {
  const err = new BootlabError('PORT_IN_USE', 'TFTP port busy.', 'Stop the other server.');
  const { sup } = await setup([lan], err);
  const states = await sup.startAll();
  const byName = Object.fromEntries(states.map((s) => [s.service, s]));
  assert.equal(byName.tftp!.state, 'failed');
  assert.equal(byName.tftp!.error!.code, 'PORT_IN_USE');
  assert.equal(byName.tftp!.error!.hint, 'Stop the other server.');
  assert.equal(byName.http!.state, 'running');
});

test('double start binds once (operations are queued per service)', async () => {
  const { sup, services } = await setup([lan]);
  await Promise.all([sup.start('dhcp'), sup.start('dhcp')]);
  assert.equal(services.dhcp.starts, 1);
});

test('an interface without IPv4 fails with what to do', async () => {
  const { sup } = await setup([{ ...lan, ipv4: [] }]);
  const s = await sup.start('dhcp');
  assert.equal(s.state, 'failed');
  assert.equal(s.error!.code, 'INTERFACE_NO_IPV4');
  assert.match(s.error!.hint, /ip addr add|static IPv4/);
});

test('the interface going away fails the running services with the reason', async () => {
  const { sup, services, setInterfaces } = await setup([lan]);
  await sup.startAll();
  setInterfaces([]);
  await sup.interfacesChanged([]);
  for (const s of sup.status()) {
    assert.equal(s.state, 'failed');
    assert.equal(s.error!.code, 'INTERFACE_NOT_FOUND');
  }
  assert.equal(services.dhcp.stops, 1);
});
