/**
 * Browser test of the UI shell against a real `bootlab serve` on loopback (playwright-core driving Debian's
 * chromium). It proves: the UI loads from the ready URL, Settings lists this machine's interfaces, the
 * server's validation errors appear beside the form, choosing `lo` is saved, a service started from the
 * Dashboard turns "running" live, a service started by someone else shows up through the WebSocket feed,
 * a real syslog datagram appears on the Logs and Clients pages, and stopping works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, ensureRendererBuilt, launchBrowser } from '../../helpers/browser.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

const skip = chromiumMissing;

describe('UI shell in a real browser', { skip }, () => {
  let bootlab: RunningBootlab;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let syslogPort: number;
  const temp: string[] = [];

  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(bootlab.base + path, {
      method,
      headers: { 'x-bootlab-token': bootlab.token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `${method} ${path} answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const card = (service: string) => page.locator(`[data-service="${service}"]`);
  const badge = (service: string) => card(service).locator('.badge');
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  before(async () => {
    ensureRendererBuilt();
    const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-ui-data-'));
    temp.push(dataDir);
    syslogPort = await freePort('udp');
    const tftpPort = await freePort('udp');
    // No --interface: the test chooses it in Settings. --no-start: the test starts services itself.
    bootlab = await startBootlab([
      'serve',
      '--data-dir',
      dataDir,
      '--dhcp',
      'off',
      '--ui-port',
      '0',
      '--http-port',
      '0',
      '--tftp-port',
      String(tftpPort),
      '--syslog-port',
      String(syslogPort),
      '--no-start',
      '--quiet',
    ]);
    browser = await launchBrowser();
    ({ context, page } = browser);
  });

  after(async () => {
    await browser?.close();
    await bootlab?.stop();
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  test('opens from the ready URL, hides the token and connects the live feed', async () => {
    await page.goto(bootlab.url);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await page.locator('[data-connected="true"]').waitFor();
    assert.ok(!page.url().includes('token='), `token left in the address bar: ${page.url()}`);
    for (const s of ['dhcp', 'tftp', 'http', 'syslog']) await card(s).waitFor();
    await page.getByText('No network interface is chosen yet').waitFor();
    // A reload keeps working, and so does another tab without the token: this browser kept it.
    await page.reload();
    await page.locator('[data-connected="true"]').waitFor();
    const other = await context.newPage();
    await other.goto(`${bootlab.base}/`);
    await other.locator('[data-connected="true"]').waitFor();
    await other.close();
    // A browser that never saw the token is told where to find the right link.
    const stranger = await launchBrowser();
    try {
      await stranger.page.goto(`${bootlab.base}/`);
      await stranger.page.getByText('Open Bootlab from its own link').waitFor();
    } finally {
      await stranger.close();
    }
  });

  test('Settings lists this machine’s interfaces, shows server errors beside the form, saves lo', async () => {
    await nav('Settings').click();
    await page.locator('h1', { hasText: 'Settings' }).waitFor();
    for (const name of Object.keys(networkInterfaces())) {
      await page.locator(`[data-interface="${name}"]`).waitFor();
    }
    await page.locator('[data-interface="lo"] input').check();

    // Full mode with a value only the server can judge (the page checks addresses itself): its words,
    // not a schema path, appear beside the field.
    await page.locator('[data-dhcp-mode="full"] input').check();
    await page.getByLabel('First address').fill('10.0.0.999');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.field-error', { hasText: 'Enter an IPv4 address' }).waitFor();
    await page.getByLabel('First address').fill('');
    await page.getByLabel('Domain name').fill('bench_3.lan');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.problem', { hasText: 'not valid' }).waitFor();
    await page.locator('#dhcp-domain-error', { hasText: 'domain name like bench.lan' }).waitFor();
    // In a technician's words: no schema paths or zod phrases anywhere on the page.
    assert.doesNotMatch(await page.locator('main').innerText(), /dhcp\.domain|Invalid|regex/);

    await page.locator('[data-dhcp-mode="off"] input').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const { profile } = (await api('GET', '/api/config')) as {
      profile: { interface: string; dhcp: { mode: string } };
    };
    assert.equal(profile.interface, 'lo');
    assert.equal(profile.dhcp.mode, 'off');
  });

  test('Dashboard starts syslog (TFTP and HTTP from outside), follows their states live, then stops them', async () => {
    await nav('Dashboard').click();
    await badge('syslog').and(page.locator('[data-state="stopped"]')).waitFor();

    // Started from the UI.
    await card('syslog').getByRole('button', { name: 'Start' }).click();
    await badge('syslog').and(page.locator('[data-state="running"]')).waitFor();
    await card('syslog').getByText(`127.0.0.1:${syslogPort}`).first().waitFor();

    // Started by another client of the API: only the WebSocket feed can tell this page.
    await api('POST', '/api/services/tftp/start');
    await badge('tftp').and(page.locator('[data-state="running"]')).waitFor();
    await api('POST', '/api/services/http/start');
    await badge('http').and(page.locator('[data-state="running"]')).waitFor();

    // A real syslog datagram, as iPXE sends it, reaches the Logs and Clients pages live.
    await nav('Logs').click();
    await page.locator('h1', { hasText: 'Logs' }).waitFor();
    await sendSyslog(syslogPort, '<14>ipxe: http://127.0.0.1/boot.ipxe... ok');
    await page.locator('.log-message', { hasText: 'boot.ipxe... ok' }).waitFor();
    await nav('Clients').click();
    await page.locator('[data-client="ip:127.0.0.1"]', { hasText: 'boot.ipxe... ok' }).waitFor();

    await nav('Dashboard').click();
    await badge('syslog').and(page.locator('[data-state="running"]')).waitFor();
    await page.getByText('lo (127.0.0.1)').waitFor();
    // Tests never write docs/screenshots (scripts/screenshots.mjs does); this one is for looking at.
    const shots = mkdtempSync(join(tmpdir(), 'bootlab-shots-'));
    temp.push(shots);
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });

    await card('syslog').getByRole('button', { name: 'Stop' }).click();
    await badge('syslog').and(page.locator('[data-state="stopped"]')).waitFor();
    await page.getByRole('button', { name: 'Stop all' }).click();
    await badge('tftp').and(page.locator('[data-state="stopped"]')).waitFor();
    await badge('http').and(page.locator('[data-state="stopped"]')).waitFor();
    const { services } = (await api('GET', '/api/services')) as {
      services: { service: string; state: string }[];
    };
    assert.deepEqual(
      services.filter((s) => s.service !== 'dhcp').map((s) => s.state),
      ['stopped', 'stopped', 'stopped'],
    );
  });

  test('Builder shows the terminal view with nothing running; Menu shows a page', async () => {
    await nav('Builder').click();
    await page.locator('.xterm').waitFor();
    await page.getByText('Nothing is running.').waitFor();
    await nav('Menu').click();
    await page.locator('.page h1').first().waitFor();
  });
});

/** True when dist/renderer is missing or older than any file under renderer/ (so the test never runs an old UI). */
function sendSyslog(port: number, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    sock.send(Buffer.from(line), port, '127.0.0.1', (err) => {
      sock.close();
      if (err) reject(err);
      else resolve();
    });
  });
}
