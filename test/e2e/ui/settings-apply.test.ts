/**
 * Settings take effect, in the UI: with TFTP and HTTP running, the technician changes the boot files
 * folder in Settings and saves; the page says both restarted with the new settings, and the next download
 * (curl over HTTP, atftp over TFTP) comes from the new folder. Loopback only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, ensureRendererBuilt, launchBrowser } from '../../helpers/browser.js';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';
import { TOKEN_HEADER } from '../../../services/shared/api-protocol.js';

describe('Settings: a saved boot folder applies to the running servers', { skip: chromiumMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-settings-ui-'));
  let app: RunningBootlab;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let httpPort: number;
  let tftpPort: number;

  before(async () => {
    ensureRendererBuilt();
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'hello.txt'), `from folder ${name}\n`);
    }
    [httpPort, tftpPort] = [await freePort('tcp'), await freePort('udp')];
    app = await startBootlab([
      'serve',
      ...['--data-dir', join(dir, 'data'), '--interface', 'lo', '--dhcp', 'off', '--no-start', '--quiet'],
      ...['--boot-root', join(dir, 'a'), '--http-port', String(httpPort), '--tftp-port', String(tftpPort)],
      ...['--ui-port', '0'],
    ]);
    for (const name of ['tftp', 'http']) {
      const res = await fetch(`${app.base}/api/services/${name}/start`, {
        method: 'POST',
        headers: { [TOKEN_HEADER]: app.token },
      });
      assert.equal(((await res.json()) as { state: { state: string } }).state.state, 'running');
    }
    browser = await launchBrowser();
    ({ page } = browser);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Save names the restarted services; curl and atftp then get the new folder’s file', async () => {
    await page.goto(app.url);
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Boot files folder').fill(join(dir, 'b'));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'HTTP, TFTP restarted with the new settings' })
      .waitFor();
    const http = execFileSync('curl', ['-sS', '--fail', `http://127.0.0.1:${httpPort}/hello.txt`], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(http, 'from folder b\n');
    const out = join(dir, 'tftp.txt');
    execFileSync('atftp', ['-g', '-r', 'hello.txt', '-l', out, '127.0.0.1', String(tftpPort)], {
      timeout: 20_000,
    });
    assert.equal(readFileSync(out, 'utf8'), 'from folder b\n');
  });
});
