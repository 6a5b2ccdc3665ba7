/**
 * A technician's first ten minutes, in a real browser against a real `bootlab serve` with no interface
 * chosen yet: the Dashboard disables Start all with one explanation (not one red box per service), DHCP in
 * mode "off" reads Off, the cards show the configured ports; leaving an edited menu asks first and keeps
 * the edit when the technician stays; a bad reservation is refused with a plain sentence beside its field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { freePort } from '../../helpers/ports.js';

describe('A technician’s first ten minutes', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  let tftpPort: number;
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });
  const card = (service: string) => page.locator(`[data-service="${service}"]`);

  before(async () => {
    tftpPort = await freePort('udp');
    session = await openBootlabPage(
      (dir) => [
        'serve',
        '--data-dir',
        dir,
        '--dhcp',
        'off',
        '--ui-port',
        '0',
        '--http-port',
        '0',
        '--tftp-port',
        String(tftpPort),
        '--no-start',
        '--quiet',
      ],
      'Dashboard',
    );
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('with no interface chosen, Start all is disabled with one explanation', async () => {
    const startAll = page.getByRole('button', { name: 'Start all' });
    await page.locator('#no-interface-note').waitFor();
    assert.equal(await startAll.isDisabled(), true);
    // The button points at the one explanation (screen readers read it with the button).
    assert.equal(await startAll.getAttribute('aria-describedby'), 'no-interface-note');
    assert.match(await page.locator('#no-interface-note').innerText(), /Choose one in Settings/);
    // No per-service failures, and the per-service Start buttons wait too.
    assert.equal(await page.locator('.service-card .problem').count(), 0);
    for (const s of ['tftp', 'http', 'syslog']) {
      assert.equal(await card(s).getByRole('button', { name: 'Start' }).isDisabled(), true);
    }
    // DHCP switched off reads Off, not Failed or Stopped, and offers no Start.
    assert.equal(await card('dhcp').locator('.badge').innerText(), 'Off');
    assert.equal(await card('dhcp').getByRole('button', { name: 'Start' }).count(), 0);
    // The cards show the configured ports, not the defaults.
    await card('tftp').getByText(`port ${tftpPort}`).waitFor();
    await card('http').getByText('any free port').waitFor();
    assert.equal(await page.locator('[data-fact="scripts-at"]').innerText(), 'HTTP is not running');
  });

  test('leaving an edited menu asks first; Cancel keeps the edit, OK leaves', async () => {
    await nav('Menu').click();
    await page.locator('h1', { hasText: 'Menu' }).waitFor();
    const title = page.getByTestId('menu-title');
    await title.fill('Bench 3 tools');
    await page.getByText('Unsaved changes').waitFor();

    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await nav('Settings').click();
    assert.match(asked, /unsaved changes \(the boot menu\)/);
    await page.locator('h1', { hasText: 'Menu' }).waitFor();
    assert.equal(await title.inputValue(), 'Bench 3 tools');
    assert.match(page.url(), /#\/menu$/);

    // The browser's Back button is guarded as well.
    page.once('dialog', (d) => void d.dismiss());
    await page.evaluate('window.location.hash = "#/logs"');
    await page.locator('h1', { hasText: 'Menu' }).waitFor();
    assert.equal(await title.inputValue(), 'Bench 3 tools');

    page.once('dialog', (d) => void d.accept());
    await nav('Settings').click();
    await page.locator('h1', { hasText: 'Settings' }).waitFor();
  });

  test('a bad reservation is refused with a plain sentence beside its own field', async () => {
    await nav('DHCP').click();
    await page.locator('h1', { hasText: 'DHCP' }).waitFor();
    const editor = page.locator('[data-editor="Reservations"]');
    await editor.getByRole('button', { name: 'Add' }).click();
    await editor.getByLabel('Reservation 1, MAC').fill('52:54:00:aa:bb:cc');
    await editor.getByLabel('Reservation 1, Address').fill('10.9.9');
    await editor.getByRole('button', { name: 'Save' }).click();
    const cell = editor.locator('[data-field="dhcp.reservations.0.ip"]');
    await cell.locator('.field-error', { hasText: 'is not an IPv4 address' }).waitFor();
    const text = await editor.innerText();
    assert.doesNotMatch(text, /dhcp\.reservations|Invalid ip|String must contain/);
    assert.equal(await editor.getByLabel('Reservation 1, Address').getAttribute('aria-invalid'), 'true');

    // The server's own refusal (a check the page cannot make itself) lands beside the field too.
    await editor.getByLabel('Reservation 1, Address').fill('10.9.9.9');
    await editor.getByLabel('Reservation 1, MAC').fill('52:54:00:aa:bb:cc');
    await editor.getByLabel('Reservation 1, Name').fill('x'.repeat(300));
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.locator('[data-field="dhcp.reservations.0.hostname"] .field-error').waitFor();
    assert.doesNotMatch(await editor.innerText(), /dhcp\.reservations|String must contain/);

    // Cancel drops the draft (and with it the unsaved-changes guard).
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await nav('Dashboard').click();
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  });
});
