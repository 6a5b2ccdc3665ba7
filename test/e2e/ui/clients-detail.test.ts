/**
 * Browser test of the Clients page and a machine's detail view against a real `bootlab serve` on loopback:
 * the machine is made by real syslog datagrams (iPXE's verbatim lines, sent to Bootlab's receiver from
 * 127.0.0.1), so the table row, the stages, the files and the raw lines all come from the server's session.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ports.js';
import type { Profile } from '../../../services/api/contract.js';

describe('Clients detail in a real browser', { skip: chromiumMissing }, () => {
  let session: Awaited<ReturnType<typeof openBootlabPage>>;
  let page: Page;
  let syslogPort: number;

  before(async () => {
    syslogPort = await freePort('udp');
    session = await openBootlabPage(
      async (dir) => [
        'serve',
        ...['--data-dir', dir, '--interface', 'lo', '--dhcp', 'off', '--services', 'syslog'],
        ...['--syslog-port', String(syslogPort), '--ui-port', '0', '--quiet'],
      ],
      'Clients',
    );
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('a machine reported by syslog shows in the table, and its detail has stages, files and raw lines', async () => {
    const udp = createSocket('udp4');
    const send = (text: string) =>
      new Promise<void>((res) =>
        udp.send(`<6>pc01.lab.example ipxe: ${text}`, syslogPort, '127.0.0.1', () => res()),
      );
    for (const line of [
      ' ok',
      'http://10.77.0.1/boot.ipxe... ok',
      'http://10.77.0.1/vmlinuz... ok',
      'Could not boot: Exec format error (https://ipxe.org/2e008008)',
    ])
      await send(line);
    udp.close();
    const row = page.locator('tr[data-client="ip:127.0.0.1"]');
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /failed/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^bootlab-sessions-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /^key,mac,ip,hostname,/);
    assert.match(csv, /\r\nip:127\.0\.0\.1,,127\.0\.0\.1,pc01,.*,failed,/);
    await row.getByRole('link').click();
    const detail = page.locator('[data-machine="ip:127.0.0.1"]');
    await detail.waitFor();
    await detail.getByText('Exec format error').first().waitFor();
    assert.equal(
      await detail.getByRole('link', { name: "iPXE's explanation" }).getAttribute('href'),
      'https://ipxe.org/2e008008',
    );
    const stages = await detail.getByRole('list', { name: 'Stages' }).innerText();
    assert.match(stages, /ipxe/);
    assert.match(stages, /kernel/);
    assert.match(stages, /failed/);
    const files = await detail.getByRole('table', { name: 'Files' }).innerText();
    assert.match(files, /http:\/\/10\.77\.0\.1\/vmlinuz/);
    await detail.getByLabel('Raw lines').check();
    await detail.getByText('<6>pc01.lab.example ipxe: http://10.77.0.1/boot.ipxe... ok').waitFor();
    const shots = mkdtempSync(join(tmpdir(), 'bootlab-shots-'));
    await page.screenshot({ path: join(shots, 'client-detail.png'), fullPage: true });
    // Logs page, filtered by this machine.
    await page.getByRole('navigation').getByRole('link', { name: 'Logs', exact: true }).click();
    await page.getByLabel('Machine').selectOption('ip:127.0.0.1');
    const log = page.getByRole('table', { name: 'Machine log' });
    await log.getByText('pc01.lab.example: http://10.77.0.1/vmlinuz... ok').waitFor();
  });

  test('Settings: the `set peerhost` switch is saved in the profile', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    const box = page.getByRole('checkbox', { name: /set peerhost/ });
    await box.waitFor();
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    const { bootlab } = session;
    const profile = await waitForProfile(
      bootlab.base,
      bootlab.token,
      (p) => p.peerdist.setPeerhost === false,
    );
    assert.equal(profile.peerdist.enabled, true);
  });
});

async function waitForProfile(base: string, token: string, ok: (p: Profile) => boolean): Promise<Profile> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${base}/api/config`, { headers: { 'x-bootlab-token': token } });
    const { profile } = (await res.json()) as { profile: Profile };
    if (ok(profile)) return profile;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the profile never showed the saved setting');
}
