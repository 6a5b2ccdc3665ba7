/**
 * The desktop's tray and notification switch against a real `bootlab serve` (from source, loopback, high
 * ports, nothing started): the same control API and live feed the UI uses, through the real `ws` client and
 * fetch, with the token where the API wants it. Only the Electron tray itself is a stand-in.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import WebSocket from 'ws';
import type { HttpResponseLike } from '../../../electron/control-client.js';
import { DesktopSession } from '../../../electron/desktop-session.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

let app: RunningBootlab;
let dataDir: string;
let tftp: number;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-desktop-api-'));
  tftp = await freePort('udp');
  const http = await freePort('tcp');
  const syslog = await freePort('udp');
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--no-start', '--quiet'],
    ...['--http-port', String(http), '--tftp-port', String(tftp), '--syslog-port', String(syslog)],
    ...['--ui-port', '0'],
  ]);
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function desktop() {
  const images: string[] = [];
  const reports: string[] = [];
  const toasts: string[] = [];
  let menu: MenuItemConstructorOptions[] = [];
  const session = new DesktopSession({
    origin: app.base,
    token: app.token,
    fetch: (url, init) => fetch(url, init) as Promise<HttpResponseLike>,
    openSocket: (url, protocols, headers) => new WebSocket(url, protocols, { headers }),
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
    trayIconPath: (s) => s,
    notify: (title, body) => toasts.push(`${title}: ${body}`),
    openWindow: () => {},
    quit: () => {},
    report: (title, message) => reports.push(`${title}: ${message}`),
  });
  const click = (label: string) => (menu.find((i) => i.label === label)!.click as () => void)();
  return { session, images, reports, toasts, click, menu: () => menu };
}

test('the tray follows the real API: Start all → running, a port taken → failure, Stop all → stopped', async () => {
  const d = desktop();
  d.session.start();
  try {
    await until('the first state', () => d.session.tray.services.length > 0);
    assert.equal(d.session.tray.status, 'stopped');

    // Started from elsewhere (the UI, another tab): only the live feed can tell the tray.
    const direct = (action: string) =>
      fetch(`${app.base}/api/services/tftp/${action}`, {
        method: 'POST',
        headers: { 'x-bootlab-token': app.token },
      });
    assert.equal((await direct('start')).status, 200);
    await until('running, told by the live feed', () => d.session.tray.status === 'running');
    assert.equal((await direct('stop')).status, 200);
    await until('stopped, told by the live feed', () => d.session.tray.status === 'stopped');

    d.click('Start all services');
    await until('running', () => d.session.tray.status === 'running');
    assert.equal(d.images.at(-1), 'running');
    assert.equal(d.session.serving, true, 'closing the window would keep serving');

    d.click('Stop all services');
    await until('stopped', () => d.session.tray.status === 'stopped');

    // Something else holds the TFTP port: Start all fails for TFTP; the tray shows the failure.
    const squatter: Socket = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(tftp, '127.0.0.1', () => r()));
    try {
      d.click('Start all services');
      await until('failure', () => d.session.tray.status === 'failure');
      assert.equal(d.images.at(-1), 'failure');
      const tftpState = d.session.tray.services.find((s) => s.service === 'tftp')!;
      assert.equal(tftpState.state, 'failed');
      assert.match(String(d.menu()[0]!.label), /TFTP failed/);
    } finally {
      squatter.close();
    }
    // The port is free again: Start all from the tray brings every service up.
    d.click('Start all services');
    await until('running again', () => d.session.tray.status === 'running');
    d.click('Stop all services');
    await until('stopped again', () => d.session.tray.status === 'stopped');
  } finally {
    d.session.stop();
  }
});

test('the notification switch is a profile setting: the UI’s PUT /api/config turns the desktop’s toasts off', async () => {
  const put = async (notifications: boolean) => {
    const res = await fetch(`${app.base}/api/config`, {
      method: 'PUT',
      headers: { 'x-bootlab-token': app.token, 'content-type': 'application/json' },
      body: JSON.stringify({ desktop: { notifications } }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { profile: { desktop: { notifications: boolean } } }).profile.desktop;
  };
  const d = desktop();
  assert.deepEqual(await d.session.client.desktopSettings(), { notifications: true }, 'on by default');
  assert.deepEqual(await put(false), { notifications: false });
  assert.deepEqual(await d.session.client.desktopSettings(), { notifications: false });
  assert.deepEqual(await put(true), { notifications: true });
  d.session.stop();
});
