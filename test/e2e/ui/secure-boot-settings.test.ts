/**
 * Browser test of the DHCP page's Secure Boot settings (issue 16) against a real `bootlab serve` on loopback
 * (DHCP off: no DHCP server runs on the host's interfaces). The bench-wide switch and a per-machine choice
 * saved on the page must land in the profile on disk, and the page explains the choice in plain words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { loopbackServeArgs } from '../../helpers/bootlab-process.js';

describe('Secure Boot settings on the DHCP page in a real browser', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  let dataDir: string;

  before(async () => {
    session = await openBootlabPage((dir) => loopbackServeArgs(dir, { services: 'http' }), 'DHCP');
    ({ page, dataDir } = session);
  });

  after(async () => {
    await session?.close();
  });

  const saved = () => JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')).profiles.default.dhcp;

  test('explains why Secure Boot machines are chosen here and what they get', async () => {
    const card = page.locator('[data-card="secure-boot"]');
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /refuses iPXE/);
    assert.match(text, /does not\s+say Secure Boot is on/);
    assert.match(text, /shim, then Debian-signed GRUB/);
  });

  test('the bench-wide switch and a per-machine choice land in the profile', async () => {
    const card = page.locator('[data-card="secure-boot"]');
    await card.getByRole('checkbox').click(); // saved at once; the box follows the saved profile
    for (let i = 0; i < 50 && saved().secureBoot?.allMachines !== true; i++) await page.waitForTimeout(100);
    assert.equal(saved().secureBoot.allMachines, true);
    await card.locator('input[type="checkbox"]:checked').waitFor();

    const hosts = page.locator('[data-editor="Secure Boot per machine"]');
    await hosts.getByRole('button', { name: 'Add' }).click();
    await hosts.getByLabel('Machine 1, MAC', { exact: true }).fill('52:54:00:5B:00:09');
    await hosts.getByLabel('Machine 1, Boot with', { exact: true }).fill('grub');
    await hosts.getByRole('button', { name: 'Save' }).click();
    await hosts.locator('.field-error', { hasText: 'signed' }).waitFor();
    await hosts.getByLabel('Machine 1, Boot with', { exact: true }).fill('ipxe');
    await hosts.getByRole('button', { name: 'Save' }).click();
    for (let i = 0; i < 50 && (saved().secureBoot?.hosts ?? []).length === 0; i++)
      await page.waitForTimeout(100);
    assert.deepEqual(saved().secureBoot, {
      allMachines: true,
      hosts: [{ mac: '52:54:00:5b:00:09', chain: 'ipxe' }],
    });
  });
});
