/**
 * Full-mode DHCP settings end to end: Bootlab runs in a network namespace on a small bench LAN, and so does
 * Chromium (a wrapper runs it with `ip netns exec`, so the page reaches Bootlab's 127.0.0.1 there). In
 * Settings the technician chooses eth0 (the pool placeholder comes from its subnet), sets lease time,
 * router, DNS servers and domain, saves, starts DHCP on the Dashboard; then a real busybox udhcpc in
 * another namespace gets an address from the default pool and every option as typed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, chromiumMissing, ensureRendererBuilt, launchBrowser } from '../../helpers/browser.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { Netns, netnsUnavailableReason } from '../../helpers/netns.js';
import { Lan, runAsync, udhcpcOnce } from '../../integration/dhcp/lan.js';

const noBusybox = existsSync('/bin/busybox') ? false : '/bin/busybox is missing (Debian package busybox)';
const skip = chromiumMissing || netnsUnavailableReason() || noBusybox;

describe('Full-mode DHCP settings reach a real client', { skip }, () => {
  let lan: Lan;
  let srv: Netns;
  let client: Netns;
  let bootlab: RunningBootlab;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const temp = mkdtempSync(join(tmpdir(), 'bootlab-dhcp-ui-'));
  const log = join(temp, 'udhcpc.log');
  const script = join(temp, 'udhcpc.sh');

  before(async () => {
    ensureRendererBuilt();
    lan = Lan.create();
    srv = Netns.create('blsrv');
    client = Netns.create('blcl');
    lan.attach(srv, '10.78.0.1/24');
    lan.attach(client, null, 'eth0', '52:54:00:78:00:01');
    bootlab = await startBootlab(
      [
        'serve',
        '--data-dir',
        join(temp, 'data'),
        '--ui-port',
        '0',
        '--http-port',
        '8080',
        '--no-start',
        '--quiet',
      ],
      { wrap: ['ip', 'netns', 'exec', srv.name] },
    );
    // Chromium inside the server's namespace, where Bootlab's 127.0.0.1 is.
    const wrapper = join(temp, 'chromium-in-netns.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${srv.name} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await launchBrowser(undefined, { executablePath: wrapper });
    ({ page } = browser);
    writeFileSync(
      script,
      `#!/bin/sh\necho "$1 ip=$ip mask=$mask router=$router dns=$dns domain=$domain lease=$lease" >> ${log}\nexit 0\n`,
    );
    chmodSync(script, 0o755);
  });

  after(async () => {
    await browser?.close();
    await bootlab?.stop();
    client?.destroy();
    srv?.destroy();
    lan?.destroy();
    rmSync(temp, { recursive: true, force: true });
  });

  test('lease time, router, DNS servers and domain typed in Settings arrive at udhcpc', async () => {
    await page.goto(bootlab.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.locator('[data-interface="eth0"] input').check();
    await page.locator('[data-dhcp-mode="full"] input').check();
    // Defaults from the chosen interface: the pool the server takes when it is left empty.
    const first = page.getByLabel('First address');
    assert.equal(await first.getAttribute('placeholder'), '10.78.0.100');
    await page.getByText('Leave both empty to use 10.78.0.100–10.78.0.199').waitFor();
    await page.getByLabel('Lease time (minutes)').fill('7');
    await page.getByLabel('Router (gateway)').fill('10.78.0.254');
    await page.getByLabel('DNS servers').fill('10.78.0.53, 1.1.1.1');
    await page.getByLabel('Domain name').fill('bench.lan');
    // The setting the "another DHCP server answered" hint names exists here.
    await page.getByLabel(/Start full mode even when another DHCP server answers/).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.reload();
    await page.getByLabel('Domain name').waitFor();
    assert.equal(await page.getByLabel('Domain name').inputValue(), 'bench.lan');
    assert.equal(await page.getByLabel(/Start full mode even when/).isChecked(), true);

    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard', exact: true }).click();
    const dhcp = page.locator('[data-service="dhcp"]');
    await dhcp.getByRole('button', { name: 'Start' }).click();
    await dhcp.locator('[data-state="running"]').waitFor({ timeout: 30_000 });

    const r = await runAsync(client, 'busybox', udhcpcOnce(script));
    assert.equal(r.code, 0, r.stderr);
    const bound = readFileSync(log, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('bound'));
    assert.match(bound ?? '', /ip=10\.78\.0\.1\d\d mask=24 /);
    assert.match(bound ?? '', / router=10\.78\.0\.254 /);
    assert.match(bound ?? '', / dns=10\.78\.0\.53 1\.1\.1\.1 /);
    assert.match(bound ?? '', / domain=bench\.lan /);
    assert.match(bound ?? '', / lease=420$/);
  });
});
