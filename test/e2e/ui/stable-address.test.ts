/**
 * A stable address: the token is kept in the data dir (owner-only 0600), so after Bootlab is stopped and
 * started again the same URL opens the UI, and a bookmark without the token keeps working in the same
 * browser. "Make a new token" in Settings replaces it: the old address is refused from then on. When the
 * fixed default UI port is taken, Bootlab takes a free one and says why.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_UI_PORT } from '../../../services/core/ui-access.js';
import { chromiumMissing, ensureRendererBuilt, launchBrowser } from '../../helpers/browser.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

describe('Stable UI address', { skip: chromiumMissing }, () => {
  let dataDir: string;
  let uiPort: number;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const running: RunningBootlab[] = [];
  const launch = async (args: string[] = ['--ui-port', String(uiPort)]): Promise<RunningBootlab> => {
    const app = await startBootlab(['serve', '--data-dir', dataDir, '--no-start', '--quiet', ...args]);
    running.push(app);
    return app;
  };
  const status = async (base: string, token: string): Promise<number> =>
    (await fetch(`${base}/api/status`, { headers: { 'x-bootlab-token': token } })).status;

  before(async () => {
    ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'bootlab-address-'));
    uiPort = await freePort('tcp');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const app of running) await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('after a relaunch the same URL (and a bookmark without the token) opens the UI', async () => {
    const first = await launch();
    const tokenFile = join(dataDir, 'ui-token');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is owner-only');
    assert.equal(readFileSync(tokenFile, 'utf8').trim(), first.token);
    const { page } = browser;
    await page.goto(first.url);
    await page.locator('[data-connected="true"]').waitFor();
    await first.stop();

    const second = await launch();
    assert.equal(second.url, first.url, 'the same address after a relaunch');
    await page.goto('about:blank');
    await page.goto(first.url);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await page.locator('[data-connected="true"]').waitFor();
    // A bookmark taken from the address bar has no token; this browser kept it.
    const tab = await browser.context.newPage();
    await tab.goto(`${second.base}/#/settings`);
    await tab.locator('h1', { hasText: 'Settings' }).waitFor();
    await tab.locator('[data-connected="true"]').waitFor();
    await tab.close();
  });

  test('Make a new token replaces the stored one; the old address is refused', async () => {
    const app = running.at(-1)!;
    const { page } = browser;
    await page.goto(`${app.base}/#/settings`);
    await page.getByRole('heading', { name: 'This page’s address' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Make a new token…' }).click();
    await page.waitForLoadState('load');
    await page.locator('[data-connected="true"]').waitFor();
    const fresh = readFileSync(join(dataDir, 'ui-token'), 'utf8').trim();
    assert.notEqual(fresh, app.token);
    assert.equal(statSync(join(dataDir, 'ui-token')).mode & 0o777, 0o600);
    assert.equal(await status(app.base, app.token), 401);
    assert.equal(await status(app.base, fresh), 200);
    // The old link now says plainly that it is no longer valid.
    const tab = await browser.context.newPage();
    await tab.goto(app.url);
    await tab.getByRole('heading', { name: 'This link is no longer valid' }).waitFor();
    await tab.close();
  });

  test('when the default port is taken, a free one is used and Settings says why', async () => {
    // Hold the default port (or find it already held by another Bootlab: taken either way).
    const holder: Server = createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(DEFAULT_UI_PORT, '127.0.0.1', () => resolve());
    });
    try {
      for (const app of running) await app.stop();
      const app = await launch([]);
      assert.notEqual(new URL(app.base).port, String(DEFAULT_UI_PORT));
      const res = await fetch(`${app.base}/api/access`, { headers: { 'x-bootlab-token': app.token } });
      const view = (await res.json()) as { fallbackReason?: string; defaultPort: number };
      assert.equal(view.defaultPort, DEFAULT_UI_PORT);
      assert.match(view.fallbackReason ?? '', new RegExp(`Port ${DEFAULT_UI_PORT} was taken`));
      const { page } = browser;
      await page.goto(`${app.base}/#token=${app.token}`);
      await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
      await page.locator('.ui-address .notice', { hasText: `Port ${DEFAULT_UI_PORT} was taken` }).waitFor();
    } finally {
      holder.close();
    }
  });
});
