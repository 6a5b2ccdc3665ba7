/**
 * Browser test of the DHCP page against a real `bootlab serve` on loopback. DHCP itself stays off (no DHCP
 * server ever runs on the host's own interfaces): the page must still show where each firmware's first-stage
 * file comes from and the settings for an existing DHCP server, and reservations/overrides it saves must
 * land in the profile on disk.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { loopbackServeArgs } from '../../helpers/bootlab-process.js';

describe('DHCP page in a real browser', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  let dataDir: string;

  before(async () => {
    session = await openBootlabPage(
      (dir) => loopbackServeArgs(dir, { services: 'http,tftp', freePorts: ['http', 'tftp'] }),
      'DHCP',
    );
    ({ page, dataDir } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('shows the mode, and where each firmware gets its first stage from', async () => {
    await page.locator('[data-dhcp-mode="stopped"]', { hasText: 'off' }).waitFor();
    const bios = page.locator('[data-first-stage="BIOS (legacy PXE)"]');
    await bios.waitFor();
    assert.match(await bios.innerText(), /undionly\.kpxe/);
    if (existsSync('/usr/lib/ipxe/undionly.kpxe')) {
      assert.match(await bios.innerText(), /system iPXE/);
      // Debian's 2019 build: the page says what it lacks.
      assert.match(await bios.innerText(), /syslog/i);
    }
  });

  test('gives ready-to-copy settings for an existing DHCP server, with Bootlab’s address', async () => {
    for (const tab of await page.getByRole('tab').all()) {
      await tab.click();
      const text = await page.locator('pre.code-block').innerText();
      assert.match(text, /127\.0\.0\.1/, `settings for ${await tab.innerText()} name Bootlab's address`);
      assert.match(text, /boot\.ipxe/, 'iPXE gets the boot script');
    }
    await page.getByRole('tab', { name: /dnsmasq/i }).click();
    assert.match(await page.locator('pre.code-block').innerText(), /undionly\.kpxe/);
  });

  test('a reservation and an override saved on the page land in the profile', async () => {
    const reservations = page.locator('[data-editor="Reservations"]');
    await reservations.getByRole('button', { name: 'Add' }).click();
    await reservations.getByLabel('MAC').fill('52:54:00:AA:BB:CC');
    await reservations.getByLabel('Address').fill('10.77.0.50');
    await reservations.getByRole('button', { name: 'Save' }).click();
    const overrides = page.locator('[data-editor="First-stage overrides"]');
    await overrides.getByRole('button', { name: 'Add' }).click();
    await overrides.getByLabel('MAC').fill('not-a-mac');
    await overrides.getByLabel('File').fill('undionly.kkpxe');
    await overrides.getByRole('button', { name: 'Save' }).click();
    // Beside the MAC cell of that row, in words.
    await overrides
      .locator('[data-field="dhcp.overrides.0.mac"] .field-error', {
        hasText: 'Enter a MAC address like 52:54:00:12:34:56.',
      })
      .waitFor();
    await overrides.getByLabel('MAC').fill('52:54:00:aa:bb:cd');
    await overrides.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-first-stage="override 52:54:00:aa:bb:cd"]').waitFor();
    const saved = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')).profiles.default.dhcp;
    assert.deepEqual(saved.reservations, [{ mac: '52:54:00:aa:bb:cc', ip: '10.77.0.50' }]);
    assert.deepEqual(saved.overrides, [{ mac: '52:54:00:aa:bb:cd', bootFile: 'undionly.kkpxe' }]);
  });
});
