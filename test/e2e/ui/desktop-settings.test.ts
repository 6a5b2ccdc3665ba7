/**
 * The desktop notifications switch on the Settings page, in a real browser against a real `bootlab serve`:
 * one setting in the profile, shown and changed by the same UI in the browser and in the app.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { loopbackServeArgs } from '../../helpers/bootlab-process.js';

describe('Settings → Desktop app in a real browser', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  let dataDir: string;

  before(async () => {
    session = await openBootlabPage(
      (dir) => loopbackServeArgs(dir, { freePorts: ['http', 'tftp', 'syslog'], extra: ['--no-start'] }),
      'Settings',
    );
    ({ page, dataDir } = session);
  });

  after(async () => {
    await session?.close();
  });

  const stored = () =>
    (
      JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as {
        profiles: Record<string, { desktop?: { notifications?: boolean } }>;
      }
    ).profiles.default?.desktop?.notifications;

  test('the switch is on by default, saves at once to the profile, and reads back after a reload', async () => {
    const box = page.getByRole('checkbox', { name: 'Show system notifications' });
    await box.waitFor();
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await page.waitForSelector('.settings-desktop input:not([disabled])');
    const deadline = Date.now() + 10_000;
    while (stored() !== false && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(stored(), false, 'desktop.notifications saved as false in config.json');
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    const again = page.getByRole('checkbox', { name: 'Show system notifications' });
    await again.waitFor();
    assert.equal(await again.isChecked(), false);
    await again.check();
    const back = Date.now() + 10_000;
    while (stored() !== true && Date.now() < back) await new Promise((r) => setTimeout(r, 100));
    assert.equal(stored(), true);
  });
});
