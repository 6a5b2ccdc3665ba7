/**
 * The Library page in Debian's Chromium against a real `bootlab serve` on loopback. A local HTTP origin
 * plays the publisher and the catalog address (no internet): the catalog is fetched from it at start.
 * 1. An ISO dropped into the library folder appears on the Library page and in the Menu page's preview,
 *    in its own submenu, without any menu edit.
 * 2. A catalog item downloaded from the origin shows progress, then its verification against the
 *    publisher's checksum file, and becomes a new menu entry.
 * Screenshots go to a temp folder.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage } from '../../helpers/browser.js';
import { buildIso, xorrisoMissing } from '../../integration/library/iso-builder.js';
import { Origin, sha256 } from '../../integration/library/origin.js';

const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const skip =
  chromiumMissing ||
  xorrisoMissing() ||
  (spawnSync('7z', ['i']).status === 0 ? false : '7-Zip is not installed (Debian package p7zip-full)') ||
  (existsSync(IPXE_ISO) ? false : 'ipxe.iso is missing (Debian package ipxe)');

describe('Library page in a real browser', { skip }, () => {
  let session: Awaited<ReturnType<typeof openBootlabPage>>;
  let page: Page;
  let origin: Origin;
  const shots = mkdtempSync(join(tmpdir(), 'bootlab-library-shots-'));

  before(async () => {
    origin = await Origin.start();
    const src = mkdtempSync(join(tmpdir(), 'bootlab-library-src-'));
    // A rescue ISO in the Debian mini.iso layout, padded so the download takes a few seconds.
    buildIso(join(src, 'rescue.iso'), {
      volumeId: 'LABRESCUE',
      files: { linux: 'kernel', 'initrd.gz': 'initrd', 'pad.bin': Buffer.alloc(3 * 1024 * 1024, 1) },
    });
    const iso = readFileSync(join(src, 'rescue.iso'));
    origin.set('/pub/lab-rescue.iso', { body: iso, chunkDelayMs: 80 });
    origin.set('/pub/SHA256SUMS', `${sha256(iso)}  lab-rescue.iso\n`);
    origin.set(
      '/catalog.json',
      JSON.stringify({
        format: 1,
        version: 'lab-1',
        items: [
          {
            id: 'lab-rescue',
            name: 'Lab rescue ISO',
            description: 'A small rescue image served by the test.',
            homepage: 'https://example.invalid/',
            kind: 'iso',
            fileName: 'lab-rescue.iso',
            size: iso.length,
            urls: [origin.url('/pub/lab-rescue.iso')],
            checksum: { algorithm: 'sha256', urls: [origin.url('/pub/SHA256SUMS')] },
          },
        ],
      }),
    );
    session = await openBootlabPage((dir) => {
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
          version: 1,
          activeProfile: 'default',
          profiles: { default: { library: { catalogUrl: origin.url('/catalog.json') } } },
        }),
      );
      return ['serve', '--data-dir', dir, '--ui-port', '0', '--no-start', '--quiet'];
    }, 'Library');
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
    await origin?.stop();
  });

  test('an ISO dropped in the folder appears on the page and in the menu preview', async () => {
    const isos = join(session.dataDir, 'boot', 'isos');
    mkdirSync(isos, { recursive: true });
    copyFileSync(IPXE_ISO, join(isos, 'ipxe.iso'));
    const row = page.locator('[data-iso="ipxe.iso"][data-state="ready"]');
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /ISOIMAGE[\s\S]*isolinux CD[\s\S]*sanboot/);
    await page.screenshot({ path: join(shots, 'library.png'), fullPage: true });
    await page.getByRole('navigation').getByRole('link', { name: 'Menu', exact: true }).click();
    const screen = page.getByTestId('menu-preview-screen');
    await screen.getByText('ISO library').waitFor({ timeout: 15_000 });
    assert.match(await screen.innerText(), /ISOIMAGE \(ipxe\.iso\)/);
    // The editor lists it too, with the method in use and why.
    const inEditor = page.getByTestId('menu-library').locator('[data-menu-iso="ipxe.iso"]');
    await inEditor.waitFor();
    assert.match(await inEditor.innerText(), /ISOIMAGE[\s\S]*isolinux CD[\s\S]*maps the ISO over HTTP/);
    assert.equal(await inEditor.getByRole('combobox').inputValue(), 'sanboot');
    // The script is in a folded <details>: textContent reads it without opening it.
    assert.match(
      (await page.getByTestId('preview-script').textContent()) ?? '',
      /sanboot --no-describe \$\{base\}\/isos\/ipxe\.iso/,
    );
  });

  test('Settings shows the ISO folder and the catalog address', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    const card = page.getByTestId('library-settings');
    await card.waitFor();
    // The card is drawn before the profile arrives: wait until its fields hold the saved values.
    const folder = card.getByLabel('ISO folder (inside the boot folder)');
    for (let i = 0; i < 100 && (await folder.inputValue()) === ''; i++) await page.waitForTimeout(100);
    assert.equal(await folder.inputValue(), 'isos');
    assert.equal(await card.getByLabel('Catalog address').inputValue(), origin.url('/catalog.json'));
  });

  test('a catalog item downloads with progress, is verified and becomes a menu entry', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Library', exact: true }).click();
    const item = page.locator('[data-catalog="lab-rescue"]');
    await item.waitFor();
    assert.match(await item.innerText(), /SHA-256 from the publisher's checksum file/);
    await item.getByRole('button', { name: 'Download' }).click();
    const downloading = page.locator('[data-download="lab-rescue"][data-state="downloading"]');
    await downloading.waitFor({ timeout: 15_000 });
    // Bytes, total and rate while it runs (the row is updated by live events).
    const progress = /MiB of [\d.]+ MiB · [\d.]+ [KM]iB\/s/;
    const end = Date.now() + 15_000;
    while (!progress.test((await page.locator('[data-download="lab-rescue"]').textContent()) ?? '')) {
      assert.ok(Date.now() < end, 'progress with bytes, total and rate was shown');
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.screenshot({ path: join(shots, 'downloading.png'), fullPage: true });
    const done = page.locator('[data-download="lab-rescue"][data-state="done"]');
    await done.waitFor({ timeout: 60_000 });
    assert.match(await done.innerText(), /Verified: SHA-256 matches the publisher's checksum file/);
    const row = page.locator('[data-iso="lab-rescue.iso"][data-state="ready"]');
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /LABRESCUE[\s\S]*Debian installer/);
    await page.getByRole('navigation').getByRole('link', { name: 'Menu', exact: true }).click();
    await page
      .getByTestId('menu-preview-screen')
      .getByText('LABRESCUE (lab-rescue.iso)')
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(shots, 'menu.png'), fullPage: true });
  });
});
