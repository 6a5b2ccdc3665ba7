import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { IPC } from '../../../electron/ipc-channels.js';
import { fromUi, registerIpc } from '../../../electron/ipc-handlers.js';

const UI = 'http://127.0.0.1:41000';
type Handler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

function setup(dialogResult = { canceled: false, filePaths: ['/srv/boot'] }) {
  const handlers = new Map<string, Handler>();
  const dialogCalls: unknown[] = [];
  const opened: string[] = [];
  registerIpc({
    ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) } as never,
    dialog: { showOpenDialog: async (o: unknown) => (dialogCalls.push(o), dialogResult) } as never,
    openExternal: async (url) => void opened.push(url),
    uiOrigin: () => UI,
  });
  return { handlers, dialogCalls, opened };
}
const fromPage = (url: string) => ({ senderFrame: { url } });

test('main answers the three native calls for the UI only', async () => {
  const { handlers, dialogCalls, opened } = setup();
  assert.deepEqual([...handlers.keys()].sort(), Object.values(IPC).sort());

  assert.equal(
    await handlers.get(IPC.pickFolder)!(fromPage(`${UI}/#/settings`), { title: 'Boot files' }),
    '/srv/boot',
  );
  assert.deepEqual(dialogCalls[0], { title: 'Boot files', properties: ['openDirectory', 'createDirectory'] });
  assert.equal(
    await handlers.get(IPC.pickFile)!(fromPage(`${UI}/`), {
      filters: [{ name: 'ISO', extensions: ['iso'] }, { bogus: 1 }],
    }),
    '/srv/boot',
  );
  assert.deepEqual(dialogCalls[1], {
    title: undefined,
    properties: ['openFile'],
    filters: [{ name: 'ISO', extensions: ['iso'] }],
  });

  assert.equal(await handlers.get(IPC.openExternal)!(fromPage(`${UI}/`), 'https://ipxe.org/'), true);
  assert.equal(await handlers.get(IPC.openExternal)!(fromPage(`${UI}/`), 'file:///etc/passwd'), false);
  assert.deepEqual(opened, ['https://ipxe.org/']);

  // Another page (or a frame without URL) gets nothing and opens no dialog.
  assert.equal(await handlers.get(IPC.pickFolder)!(fromPage('https://evil.example/')), null);
  assert.equal(await handlers.get(IPC.openExternal)!({ senderFrame: null }, 'https://ipxe.org/'), false);
  assert.equal(dialogCalls.length, 2);
  assert.equal(
    fromUi(fromPage(`${UI}/`) as never, undefined),
    false,
    'nothing is allowed before the host is ready',
  );
});

test('a cancelled dialog gives null', async () => {
  const { handlers } = setup({ canceled: true, filePaths: [] });
  assert.equal(await handlers.get(IPC.pickFile)!(fromPage(`${UI}/`)), null);
});

test('the preload exposes exactly window.bootlab with three calls on the same channels', async () => {
  const require = createRequire(import.meta.url);
  const exposed = new Map<string, Record<string, (...a: unknown[]) => Promise<unknown>>>();
  const invoked: unknown[][] = [];
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: never) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (
        invoked.push(args),
        args[0] === IPC.openExternal ? true : '/picked'
      ),
    },
  };
  const electronPath = require.resolve('electron');
  require.cache[electronPath] = {
    id: electronPath,
    filename: electronPath,
    loaded: true,
    exports: fakeElectron,
  } as never;
  try {
    const preload = require('../../../electron/preload.cts') as { CHANNELS: Record<string, string> };
    assert.deepEqual(preload.CHANNELS, IPC, 'preload and main use the same channel names');
  } finally {
    delete require.cache[electronPath];
  }
  assert.deepEqual([...exposed.keys()], ['bootlab']);
  const bridge = exposed.get('bootlab')!;
  assert.deepEqual(Object.keys(bridge).sort(), ['openExternal', 'pickFile', 'pickFolder']);

  assert.equal(await bridge.pickFolder!({ title: 'x', extra: 'dropped' }), '/picked');
  assert.deepEqual(invoked[0], [IPC.pickFolder, { title: 'x' }]);
  assert.equal(await bridge.openExternal!('javascript:alert(1)'), false);
  assert.equal(invoked.length, 1, 'a non-http link never reaches main');
  assert.equal(await bridge.openExternal!('https://ipxe.org/'), true);
});
