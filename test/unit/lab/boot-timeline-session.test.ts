import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BootTimeline } from '../../../services/lab/boot-timeline.js';
import type { ClientSession, ClientStage } from '../../../services/shared/events.js';

function session(stage: ClientStage, reached: ClientStage[]): ClientSession {
  const t = new Date().toISOString();
  return {
    key: '52:54:00:12:34:56',
    mac: '52:54:00:12:34:56',
    ip: '10.77.0.100',
    stage,
    stageTimes: Object.fromEntries(reached.map((s) => [s, t])),
    firstSeen: t,
    lastSeen: t,
    downloads: 0,
  } as ClientSession;
}

test('the lab timeline follows the client session: each stage reached ends the one before', () => {
  const tl = new BootTimeline();
  tl.session(session('dhcp', ['dhcp']), 500);
  assert.deepEqual(tl.stages, {});
  tl.session(session('first-stage', ['dhcp', 'first-stage']), 1000);
  assert.equal(tl.stages['firmware-dhcp'], 1000);
  tl.session(session('ipxe', ['dhcp', 'first-stage', 'ipxe']), 2000);
  assert.equal(tl.stages['first-stage'], 2000);
  assert.equal(tl.stages['ipxe-dhcp'], 2000);
  tl.session(session('menu', ['dhcp', 'first-stage', 'ipxe', 'script', 'menu']), 3000);
  assert.equal(tl.stages.script, 3000);
  tl.session(session('handed-over', ['dhcp', 'first-stage', 'ipxe', 'script', 'menu', 'handed-over']), 4000);
  assert.equal(tl.stages.kernel, 4000);
  assert.equal(tl.stages['firmware-dhcp'], 1000, 'a stage end is kept once known');
});
