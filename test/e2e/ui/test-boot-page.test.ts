/**
 * The Test boot page end to end: `bootlab boot` serves the lab payload (a kernel whose /init prints a
 * marker), the page starts a BIOS VM on QEMU user networking (Bootlab on loopback has no lab bridge), and
 * the VM's serial console in the page's terminal shows the marker. Also: the page says DHCP and TFTP are
 * not exercised on user networking, and Stop works on a running VM.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../helpers/bootlab-process.js';
import { ensureBootPayload, markerCmdline, markerLine, newMarker } from '../../helpers/boot-payload.js';
import { chromiumMissing, openBootlabPage } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ports.js';

const noQemu =
  spawnSync('qemu-system-x86_64', ['--version']).status === 0 ? false : 'qemu-system-x86_64 is not installed';
const skip = chromiumMissing || noQemu;

describe('Test boot page', { skip }, () => {
  let session: Awaited<ReturnType<typeof openBootlabPage>>;
  let page: Page;
  const marker = newMarker();

  before(async () => {
    const payload = ensureBootPayload();
    session = await openBootlabPage(
      async (dir) => [
        'boot',
        '--kernel',
        payload.kernel,
        '--initrd',
        payload.initrd,
        '--cmdline',
        markerCmdline(marker),
        '--data-dir',
        dir,
        '--interface',
        'lo',
        '--dhcp',
        'off',
        '--services',
        'http',
        '--http-port',
        String(await freePort('tcp')),
        '--ui-port',
        '0',
        '--quiet',
      ],
      'Test boot',
      { timeoutMs: 60_000 },
    );
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('a BIOS VM boots Bootlab’s entry and its console shows the marker live', async () => {
    await page.locator('[data-firmware="bios"] input').check();
    await page.getByLabel('Network', { exact: true }).selectOption('user');
    await page.getByRole('button', { name: 'Start test boot' }).click();
    await page.locator('.notice', { hasText: 'DHCP and TFTP are not being exercised' }).waitFor();
    // xterm.js renders the console as DOM rows; the marker line is printed by the payload's /init.
    await page.locator('.xterm-rows', { hasText: markerLine(marker).trim() }).waitFor({ timeout: 120_000 });
    await page.locator('[data-vm-state="exited"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(repoRoot, 'docs/screenshots/test-boot.png'), fullPage: true });
    const stages = await page.locator('[data-vm-state="exited"] td.small').innerText();
    assert.match(stages, /script|kernel/, `stage timings shown: ${stages}`);
  });

  test('Stop ends a running VM', async () => {
    await page.getByRole('button', { name: 'Start test boot' }).click();
    await page.locator('[data-vm-state="running"]').waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('[data-vm-state="running"]').waitFor({ state: 'detached', timeout: 30_000 });
  });
});
