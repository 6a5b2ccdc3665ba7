/**
 * Keyboard and screen readers: axe-core (pinned, run inside Chromium) on every page of the UI, in the
 * states a technician meets first (a menu entry open, a reservation being added, a test boot form), with
 * no serious or critical violations. Also: every page's actions are reachable with Tab and show a focus ring.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { formatFindings, seriousA11yViolations } from '../../helpers/axe.js';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { loopbackServeArgs } from '../../helpers/bootlab-process.js';

describe('Accessibility of every page', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

  before(async () => {
    session = await openBootlabPage(
      (dir) => loopbackServeArgs(dir, { services: 'http', freePorts: ['http', 'tftp', 'syslog'] }),
      'Dashboard',
    );
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('no serious or critical axe violations on any page', async () => {
    const labels = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    assert.ok(labels.length >= 7, `pages in the sidebar: ${labels.join(', ')}`);
    const report: string[] = [];
    for (const raw of labels) {
      const label = raw.replace(/^\W+/, '').trim();
      await nav(label).click();
      await page.locator('h1', { hasText: label }).first().waitFor();
      await page.waitForTimeout(300); // let the page's first requests land
      const found = await seriousA11yViolations(page);
      if (found.length) report.push(`${label}:\n${formatFindings(found)}`);
    }
    // States behind a click: an open menu entry, a new reservation row.
    await nav('Menu').click();
    await page.locator('.menu-entry-list .menu-entry-main').first().click();
    await page.getByRole('button', { name: 'Add machine' }).click();
    const menuFound = await seriousA11yViolations(page);
    if (menuFound.length) report.push(`Menu (entry open):\n${formatFindings(menuFound)}`);
    page.once('dialog', (d) => void d.accept()); // the added machine is an unsaved edit: discard it
    await nav('DHCP').click();
    await page.locator('[data-editor="Reservations"]').getByRole('button', { name: 'Add' }).click();
    const dhcpFound = await seriousA11yViolations(page);
    if (dhcpFound.length) report.push(`DHCP (new reservation):\n${formatFindings(dhcpFound)}`);
    await page.locator('[data-editor="Reservations"]').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(report.join('\n\n'), '', 'axe-core found serious or critical problems');
  });

  test('Tab reaches the sidebar and the page actions, with a visible focus ring', async () => {
    await nav('Dashboard').click();
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
        return { text: (el.getAttribute('aria-label') || el.textContent || '').trim(), ring };
      })()`);
      const f = info as { text: string; ring: boolean } | null;
      if (!f) continue;
      assert.ok(f.ring, `no visible focus ring on "${f.text}"`);
      seen.push(f.text);
    }
    for (const want of ['Dashboard', 'Settings', 'Start all']) {
      assert.ok(
        seen.some((t) => t.includes(want)),
        `Tab never reached "${want}": ${seen.join(' | ')}`,
      );
    }
  });
});
