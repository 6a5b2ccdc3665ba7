/**
 * The tray and notifications wired to a stand-in control API (fetch + live feed): state from
 * GET /api/services and service.state events, the Settings switch from GET /api/config, the token sent the
 * way the API takes it, and "keeps serving" said once when the window closes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions } from 'electron';
import { parseBatch, type HttpResponseLike } from '../../../electron/control-client.js';
import { DesktopSession } from '../../../electron/desktop-session.js';
import * as client from '../../../electron/control-client.js';
import * as contract from '../../../services/api/contract.js';

function stand() {
  const requests: { url: string; method: string; token: string | undefined }[] = [];
  const api = {
    services: [
      { service: 'dhcp', state: 'stopped' },
      { service: 'tftp', state: 'stopped' },
    ] as { service: string; state: string }[],
    notifications: true,
  };
  const sockets: {
    url: string;
    protocols: string[];
    headers: Record<string, string>;
    ws: EventEmitter & { close(): void };
  }[] = [];
  const toasts: string[] = [];
  const images: string[] = [];
  let menu: MenuItemConstructorOptions[] = [];
  const session = new DesktopSession({
    origin: 'http://127.0.0.1:4567',
    token: 'tok',
    fetch: async (url, init): Promise<HttpResponseLike> => {
      requests.push({ url, method: init.method, token: init.headers['x-bootlab-token'] });
      const path = new URL(url).pathname;
      let body: unknown = {};
      if (path === '/api/services') body = { services: api.services };
      if (path === '/api/config') body = { profile: { desktop: { notifications: api.notifications } } };
      if (path === '/api/services/start-all') {
        api.services = api.services.map((s) => ({ ...s, state: 'running' }));
        body = { services: api.services };
      }
      return { ok: true, status: 200, json: async () => body };
    },
    openSocket: (url, protocols, headers) => {
      const ws = Object.assign(new EventEmitter(), { close: () => ws.emit('close') });
      sockets.push({ url, protocols, headers, ws });
      return ws as never;
    },
    createTray: (image) => {
      images.push(image);
      return {
        setImage: (p) => images.push(p),
        setToolTip: () => {},
        setContextMenu: (m) => (menu = m),
        on: () => {},
        destroy: () => {},
      };
    },
    trayIconPath: (s) => `tray-${s}.png`,
    notify: (title, body) => toasts.push(`${title}: ${body}`),
    openWindow: () => {},
    quit: () => {},
    report: () => {},
    settingsTtlMs: 0,
  });
  const feed = (events: unknown[]) => sockets.at(-1)!.ws.emit('message', JSON.stringify({ events }));
  return { session, api, requests, sockets, toasts, images, feed, menu: () => menu };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test('the desktop reads the same API as the UI, with the token in the header and the WebSocket subprotocol', async () => {
  const s = stand();
  s.session.start();
  await tick();
  assert.deepEqual(s.requests.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.token}`).sort(), [
    'GET /api/config tok',
    'GET /api/services tok',
  ]);
  assert.equal(s.sockets[0]!.url, 'ws://127.0.0.1:4567/api/events');
  assert.deepEqual(s.sockets[0]!.protocols, ['bootlab.events.v1', 'bootlab.token.tok']);
  assert.ok(!s.sockets[0]!.url.includes('tok'), 'never in the URL');
  assert.equal(s.session.serving, false);

  (s.menu().find((i) => i.label === 'Start all services')!.click as () => void)();
  await tick();
  assert.ok(s.requests.some((r) => r.method === 'POST' && r.url.endsWith('/api/services/start-all')));
  assert.equal(s.session.serving, true);
  assert.deepEqual(s.images, ['tray-stopped.png', 'tray-running.png']);

  s.feed([
    {
      type: 'service.state',
      payload: { service: 'tftp', state: 'failed', error: { message: 'Port 69 is in use' } },
    },
  ]);
  assert.equal(s.images.at(-1), 'tray-failure.png');
  s.session.stop();
});

test('closing the window while serving says so once; notifications follow the Settings switch', async () => {
  const s = stand();
  s.api.services = [{ service: 'dhcp', state: 'running' }];
  s.session.start();
  await tick();
  assert.equal(s.session.serving, true);
  s.session.windowClosedWhileServing();
  s.session.windowClosedWhileServing();
  assert.deepEqual(s.toasts, [
    'Bootlab keeps serving: The boot services are still running. The tray icon (or starting Bootlab again) opens the window; Quit in the tray stops them.',
  ]);

  s.feed([{ type: 'client.session', payload: { key: 'aa', mac: 'aa', stage: 'handed-over' } }]);
  assert.equal(s.toasts.at(-1), 'Machine booted: aa finished booting.');
  // Switched off in Settings (read again from GET /api/config): no more toasts.
  s.api.notifications = false;
  s.feed([{ type: 'log', payload: {} }]);
  await tick();
  s.feed([
    { type: 'client.session', payload: { key: 'bb', mac: 'bb', stage: 'failed', error: 'TFTP timeout' } },
  ]);
  assert.equal(s.toasts.length, 2);
  s.session.stop();
});

test('the API words the desktop repeats match the contract', () => {
  assert.equal(client.TOKEN_HEADER, contract.TOKEN_HEADER);
  assert.equal(client.EVENTS_PATH, contract.EVENTS_PATH);
  assert.equal(client.EVENTS_PROTOCOL, contract.EVENTS_PROTOCOL);
  assert.equal(client.TOKEN_PROTOCOL_PREFIX, contract.TOKEN_PROTOCOL_PREFIX);
});

test('malformed feed messages give no events', () => {
  assert.deepEqual(parseBatch('not json'), []);
  assert.deepEqual(parseBatch(JSON.stringify({ events: 'x' })), []);
  assert.deepEqual(parseBatch(JSON.stringify({ events: [1, null, { type: 'log', payload: {} }] })), [
    { type: 'log', payload: {} },
  ]);
  assert.deepEqual(parseBatch(Buffer.from(JSON.stringify({ events: [{ type: 'a', payload: 1 }] }))), [
    { type: 'a', payload: 1 },
  ]);
});
