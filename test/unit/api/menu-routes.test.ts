import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigStore } from '../../../services/load-config.js';
import { Runtime } from '../../../services/core/runtime.js';
import { createApiRouter } from '../../../services/api/router.js';
import type { MenuRoutes } from '../../../services/api/contract-menu.js';
import { registerMenuRoutes } from '../../../services/api/routes/menu.js';
import { MenuManager } from '../../../services/menu/menu-manager.js';
import type { BootlabError } from '../../../services/shared/errors.js';
import { loadFixtureConfig } from '../menu/golden.js';

async function setup(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-menu-api-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bootRoot = join(dir, 'boot');
  mkdirSync(join(bootRoot, 'debian'), { recursive: true });
  writeFileSync(join(bootRoot, 'debian', 'linux'), 'kernel');
  const store = loadConfigStore(join(dir, 'config.json'));
  const runtime = new Runtime();
  runtime.serverAddress = '10.77.0.1';
  runtime.httpPort = 8080;
  const menu = new MenuManager({ store, bootRoot: () => bootRoot, systemDirs: [] });
  await menu.detect();
  const router = createApiRouter();
  registerMenuRoutes(router, { menu, runtime, bootRoot: () => bootRoot });
  const call = async (key: keyof MenuRoutes, opts: { query?: string; body?: unknown } = {}) => {
    const [method, path] = key.split(' ') as [string, string];
    const found = router.match(method, path);
    assert.ok('entry' in found, `no route ${key}`);
    return router.run(
      found.entry,
      found.params,
      new URLSearchParams(opts.query ?? ''),
      opts.body,
    ) as Promise<any>;
  };
  return { dir, store, runtime, menu, call };
}

test('GET /api/menu gives the stored menu (the default one at first), detected tools and validation', async (t) => {
  const { call } = await setup(t);
  const res = await call('GET /api/menu');
  assert.deepEqual(
    res.menu.menus[0].entries.map((e: { id: string }) => e.id),
    ['local', 'sep-tools', 'shell', 'reboot'],
  );
  assert.deepEqual(res.detected, []);
  assert.equal(res.validation.ok, true);
});

test('PUT /api/menu saves into profile.menu on disk; an invalid menu is refused with issues keyed by entry', async (t) => {
  const { call, store, dir } = await setup(t);
  const menu = {
    menus: [
      {
        id: 'main',
        title: 'Saved',
        entries: [
          { id: 'deb', kind: 'linux', label: 'Debian', kernel: 'debian/linux' },
          { id: 'gone', kind: 'linux', label: 'Gone', kernel: 'nope' },
        ],
      },
    ],
  };
  const res = await call('PUT /api/menu', { body: menu });
  assert.equal(res.menu.menus[0].title, 'Saved');
  assert.deepEqual(
    res.validation.issues.map((i: { entryId: string }) => i.entryId),
    ['gone'],
    'a missing file is reported, not refused',
  );
  assert.equal(store.profile.menu.menus[0]!.title, 'Saved');
  const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.equal(onDisk.profiles.default.menu.menus[0].title, 'Saved');

  await assert.rejects(
    call('PUT /api/menu', {
      body: { menus: [{ id: 'main', title: 'X', entries: [{ id: 'k', kind: 'linux', label: 'K' }] }] },
    }),
    (err: BootlabError) =>
      err.code === 'BAD_REQUEST' && (err.details.issues as { entryId: string }[])[0]!.entryId === 'k',
  );
  assert.equal(store.profile.menu.menus[0]!.title, 'Saved', 'nothing saved');
});

test('preview: script, text-mode rows and pxelinux for a MAC and firmware; POST previews unsaved menus', async (t) => {
  const { call } = await setup(t);
  await call('PUT /api/menu', { body: loadFixtureConfig('all-kinds.json') });
  const bios = await call('GET /api/menu/preview', { query: 'platform=pcbios&mac=52-54-00-00-00-01' });
  assert.match(bios.script, /^set base http:\/\/10\.77\.0\.1:8080$/m);
  assert.equal(bios.start.menu, 'tools');
  assert.equal(bios.note, '52:54:00:00:00:01: menu tools');
  assert.equal(bios.menu.rows[0].kind, 'unavailable');
  assert.match(bios.pxelinux, /^MENU TITLE Bench menu$/m);
  await assert.rejects(call('GET /api/menu/preview', { query: 'platform=arm' }), /pcbios or efi/);

  const unsaved = await call('POST /api/menu/preview', {
    body: {
      platform: 'efi',
      menu: {
        menus: [{ id: 'main', title: 'Draft', entries: [{ id: 'sh', kind: 'shell', label: 'Shell' }] }],
      },
    },
  });
  assert.equal(unsaved.menu.title, 'Draft');
  assert.match(unsaved.script, /^item sh Shell$/m);
  const broken = await call('POST /api/menu/preview', { body: { menu: { menus: [] } } });
  assert.equal(broken.script, '');
  assert.ok(broken.issues.length > 0);
});

test('validation routes, boot-root file listing, export and import round trip', async (t) => {
  const { call } = await setup(t);
  assert.equal((await call('GET /api/menu/validation')).ok, true);
  const v = await call('POST /api/menu/validate', {
    body: {
      menus: [
        { id: 'main', title: 'M', entries: [{ id: 'k', kind: 'linux', label: 'K', kernel: 'missing' }] },
      ],
    },
  });
  assert.deepEqual(
    v.issues.map((i: { entryId: string; field: string }) => `${i.entryId}.${i.field}`),
    ['k.kernel'],
  );

  const files = await call('GET /api/boot-root/files', { query: 'dir=debian' });
  assert.deepEqual(files.entries, [{ name: 'linux', path: 'debian/linux', type: 'file', size: 6 }]);
  await assert.rejects(call('GET /api/boot-root/files', { query: 'dir=../..' }), /boot root/);

  await call('PUT /api/menu', { body: loadFixtureConfig('all-kinds.json') });
  const exported = await call('GET /api/menu/export');
  assert.equal(exported.format, 'bootlab-menu');
  await call('PUT /api/menu', {
    body: { menus: [{ id: 'main', title: 'Other', entries: [{ id: 'sh', kind: 'shell', label: 'S' }] }] },
  });
  const imported = await call('POST /api/menu/import', { body: JSON.parse(JSON.stringify(exported)) });
  assert.deepEqual(imported.menu, loadFixtureConfig('all-kinds.json'));
});

test('the installed provider serves /boot.ipxe and pxelinux.cfg/default, and saves a used next-boot', async (t) => {
  const { menu, runtime, call, store } = await setup(t);
  await call('PUT /api/menu', { body: loadFixtureConfig('all-kinds.json') });
  const uninstall = menu.install(runtime);
  const script = await runtime.bootScript!(
    { ip: '10.77.0.9', mac: '52:54:00:00:00:03' },
    { httpBase: 'http://10.77.0.1:8080' },
  );
  assert.match(script, /^goto e-winpe$/m);
  assert.deepEqual(store.profile.menu.hosts.find((h) => h.mac === '52:54:00:00:00:03')?.action, {
    type: 'entry',
    entry: 'local',
  });
  assert.ok(await runtime.findVirtualFile('pxelinux.cfg/default', { address: '10.77.0.9' }));
  uninstall();
  assert.equal(runtime.bootScript, null);
  assert.equal(await runtime.findVirtualFile('pxelinux.cfg/default', { address: '10.77.0.9' }), undefined);
});
