import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMenuScriptProvider } from '../../../services/menu/provider.js';
import { consumeNextBoot, resolveHostStart } from '../../../services/menu/assignments.js';
import { noCheckin } from '../../../services/menu/checkin.js';
import type { HostAssignment, MenuConfig } from '../../../services/menu/model.js';
import { loadFixtureConfig } from './golden.js';

const ctx = { httpBase: 'http://10.77.0.1:8080' };
const client = (mac?: string) => ({ ip: '10.77.0.50', ...(mac ? { mac } : {}) });

function startOf(script: string): string {
  return /^goto (\S+)$/m.exec(script)![1]!;
}

test('no assignment: the root menu; a menu assignment: that menu; an entry assignment: that entry, every time', async () => {
  const config = loadFixtureConfig('all-kinds.json');
  const provider = createMenuScriptProvider({ getConfig: () => config, checkin: noCheckin });
  assert.equal(startOf(await provider(client(), ctx)), 'm-main');
  assert.equal(startOf(await provider(client('52:54:00:aa:bb:cc'), ctx)), 'm-main');
  const tools = await provider(client('52-54-00-00-00-01'), ctx);
  assert.equal(startOf(tools), 'm-tools');
  assert.doesNotMatch(tools, /^item UP-tools/m, "the assigned menu is this host's start menu: no Back item");
  for (let i = 0; i < 2; i++) {
    const fixed = await provider(client('52:54:00:00:00:02'), ctx);
    assert.match(fixed, /^set bl-menu m-main\ngoto e-memtest-bios$/m);
    assert.match(fixed, /^# 52:54:00:00:00:02: always memtest-bios$/m);
  }
});

test('next boot only: served once, the host is told to persist it, then the menu or local disk again', async () => {
  let config: MenuConfig = loadFixtureConfig('all-kinds.json');
  const consumed: [string, HostAssignment][] = [];
  const provider = createMenuScriptProvider({
    getConfig: () => config,
    checkin: noCheckin,
    onNextBootConsumed: async (mac, a) => {
      consumed.push([mac, a]);
      config = consumeNextBoot(config, mac);
    },
  });
  const first = await provider(client('52:54:00:00:00:03'), ctx);
  assert.match(first, /^goto e-winpe$/m);
  assert.equal(consumed.length, 1);
  assert.equal(consumed[0]![0], '52:54:00:00:00:03');
  // then: "local" turns the assignment into "always boot the local disk entry".
  assert.deepEqual(config.hosts.find((h) => h.mac === '52:54:00:00:00:03')?.action, {
    type: 'entry',
    entry: 'local',
  });
  const second = await provider(client('52:54:00:00:00:03'), ctx);
  assert.match(second, /^goto e-local$/m);
  assert.equal(consumed.length, 1, 'consumed only once');
});

test('next boot is never served twice even before the host has saved it', async () => {
  const config: MenuConfig = {
    ...loadFixtureConfig('all-kinds.json'),
    hosts: [{ mac: '52:54:00:00:00:09', action: { type: 'next-boot', entry: 'debian', then: 'menu' } }],
  };
  let calls = 0;
  const provider = createMenuScriptProvider({
    getConfig: () => config,
    checkin: noCheckin,
    onNextBootConsumed: () => void calls++,
  });
  assert.match(await provider(client('52:54:00:00:00:09'), ctx), /^goto e-debian$/m);
  assert.equal(startOf(await provider(client('52:54:00:00:00:09'), ctx)), 'm-main');
  assert.equal(calls, 1);
});

test('consumeNextBoot: then "menu" removes the assignment; other hosts untouched; no-op without one', () => {
  const base = loadFixtureConfig('all-kinds.json');
  const config: MenuConfig = {
    ...base,
    hosts: [
      ...base.hosts.slice(0, 2),
      { mac: '52:54:00:00:00:03', action: { type: 'next-boot', entry: 'winpe', then: 'menu' } },
    ],
  };
  const after = consumeNextBoot(config, '52-54-00-00-00-03');
  assert.deepEqual(
    after.hosts.map((h) => h.mac),
    ['52:54:00:00:00:01', '52:54:00:00:00:02'],
  );
  assert.equal(consumeNextBoot(after, '52:54:00:00:00:01'), after);
});

test('an assignment to a missing entry falls back to the root menu and says why', () => {
  const base = loadFixtureConfig('all-kinds.json');
  const config: MenuConfig = {
    ...base,
    hosts: [{ mac: '52:54:00:00:00:07', action: { type: 'entry', entry: 'gone' } }],
  };
  const start = resolveHostStart(config, '52:54:00:00:00:07');
  assert.deepEqual(start.start, { type: 'menu', menu: 'main' });
  assert.equal(start.note, '52:54:00:00:00:07: assigned entry gone does not exist');
});
