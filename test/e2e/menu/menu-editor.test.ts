/**
 * Browser test of the menu editor (playwright-core driving Debian's chromium) against the real control API
 * server with the menu routes, a real ConfigStore and a temporary boot root. It proves: the editor loads
 * the stored menu; editing a label, moving an entry with the ▼ button and by drag and drop each change the
 * live text-mode preview; the file picker lists the boot root and fills the path; a missing file shows an
 * error next to its entry; switching the preview to UEFI greys out a BIOS-only entry; Save writes the new
 * order into the profile on disk.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchBrowser } from '../../helpers/browser.js';
import { EventBus } from '../../../services/core/bus.js';
import type { ConfigStore } from '../../../services/core/config-store.js';
import { loadConfigStore } from '../../../services/load-config.js';
import { Runtime } from '../../../services/core/runtime.js';
import { createApiRouter } from '../../../services/api/router.js';
import { ApiServer } from '../../../services/api/server.js';
import { registerMenuRoutes } from '../../../services/api/routes/menu.js';
import { MenuManager } from '../../../services/menu/menu-manager.js';
import { repoRoot } from '../../helpers/bootlab-process.js';

const skip = chromiumMissing;

describe('menu editor in a real browser', { skip }, () => {
  const temp: string[] = [];
  let server: ApiServer;
  let store: ConfigStore;
  let configPath: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let url: string;

  const screenRows = async (): Promise<string[]> =>
    (await page.locator('[data-testid^="preview-row-"]').allInnerTexts())
      .map((t) => t.trim())
      .filter(Boolean);

  /** Waits until the preview's first rows are `expected`, timeout counter aside (the preview follows the draft after a moment). */
  const waitForRows = async (expected: string[]): Promise<void> => {
    const deadline = Date.now() + 10_000;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await screenRows();
      if (expected.every((e, i) => rows[i]?.replace(/\s+\(\d+\)$/, '') === e)) return;
      await page.waitForTimeout(100);
    }
    assert.fail(`preview rows ${JSON.stringify(rows)} are not ${JSON.stringify(expected)}`);
  };

  before(async () => {
    const uiDir = mkdtempSync(join(tmpdir(), 'bootlab-menu-ui-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-menu-data-'));
    temp.push(uiDir, dataDir);
    const build = spawnSync(
      'npx',
      [
        'vite',
        'build',
        '--config',
        'renderer/vite.config.ts',
        '--outDir',
        uiDir,
        '--emptyOutDir',
        '--logLevel',
        'error',
      ],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    assert.equal(build.status, 0, 'building the renderer failed');

    const bootRoot = join(dataDir, 'boot');
    mkdirSync(join(bootRoot, 'debian'), { recursive: true });
    writeFileSync(join(bootRoot, 'debian', 'linux'), 'kernel');
    writeFileSync(join(bootRoot, 'debian', 'initrd.gz'), 'initrd');
    configPath = join(dataDir, 'config.json');
    store = loadConfigStore(configPath);
    await store.patchProfile({
      menu: {
        version: 1,
        root: 'main',
        autoRescue: false,
        unavailable: 'explain',
        hosts: [],
        menus: [
          {
            id: 'main',
            title: 'Bench',
            timeout: 5,
            entries: [
              { id: 'alpha', kind: 'shell', label: 'Alpha', firmware: 'both' },
              {
                id: 'beta',
                kind: 'linux',
                label: 'Beta',
                firmware: 'both',
                kernel: 'debian/linux',
                initrds: [],
                cmdline: '',
              },
              { id: 'gamma', kind: 'reboot', label: 'Gamma', firmware: 'bios' },
            ],
          },
        ],
      },
    });
    const runtime = new Runtime();
    runtime.serverAddress = '10.77.0.1';
    runtime.httpPort = 8080;
    const menu = new MenuManager({ store, bootRoot: () => bootRoot, systemDirs: [] });
    await menu.detect();
    const router = createApiRouter();
    registerMenuRoutes(router, { menu, runtime, bootRoot: () => bootRoot });
    const token = 'menu-e2e-token';
    server = new ApiServer({ router, bus: new EventBus(), token, uiDir, port: 0 });
    const port = await server.start();
    url = `http://127.0.0.1:${port}/#token=${token}`;

    browser = await launchBrowser({ width: 1500, height: 950 });
    ({ page } = browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  test('loads the stored menu and previews it as iPXE draws it on BIOS', async () => {
    await page.goto(url);
    await page.getByRole('navigation').getByRole('link', { name: 'Menu', exact: true }).click();
    await page.locator('[data-testid="entry-row-alpha"]').waitFor();
    await waitForRows(['Alpha', 'Beta', 'Gamma']);
    await page
      .locator('[data-testid="preview-script"]')
      .getByText('item alpha Alpha', { exact: false })
      .waitFor({ state: 'attached' });
  });

  test('editing a label changes the preview', async () => {
    await page.locator('[data-testid="entry-row-beta"] .menu-entry-main').click();
    await page.locator('[data-testid="field-label"]').fill('Beta edited');
    await waitForRows(['Alpha', 'Beta edited', 'Gamma']);
  });

  test('moving an entry with the ▼ button and by dragging reorders the preview', async () => {
    await page.locator('[data-testid="down-alpha"]').click();
    await waitForRows(['Beta edited', 'Alpha', 'Gamma']);
    await page
      .locator('[data-testid="entry-row-gamma"]')
      .dragTo(page.locator('[data-testid="entry-row-beta"]'));
    await waitForRows(['Gamma', 'Beta edited', 'Alpha']);
  });

  test('a missing file shows an error next to its entry; the file picker fixes it', async () => {
    await page.locator('[data-testid="entry-row-beta"] .menu-entry-main').click();
    await page.locator('[data-testid="field-kernel"]').fill('debian/missing');
    await page.locator('[data-testid="entry-issue-beta"]', { hasText: 'not in the boot root' }).waitFor();
    await page.locator('[data-testid="entry-form"]').getByRole('button', { name: 'Browse…' }).first().click();
    await page.locator('[data-testid="file-debian/linux"]').click();
    assert.equal(await page.locator('[data-testid="field-kernel"]').inputValue(), 'debian/linux');
    await page.locator('[data-testid="entry-issue-beta"]').waitFor({ state: 'detached' });
  });

  test('the UEFI preview greys out the BIOS-only entry', async () => {
    await page.locator('[data-testid="preview-efi"]').check();
    await waitForRows(['Gamma (BIOS only)', 'Beta edited', 'Alpha']);
    await page.locator('[data-testid="preview-bios"]').check();
    await waitForRows(['Gamma', 'Beta edited', 'Alpha']);
  });

  test('Save writes the edited menu into the profile on disk', async () => {
    await page.locator('[data-testid="menu-save"]').click();
    await page.getByText('Saved', { exact: false }).first().waitFor();
    const onDisk = JSON.parse(readFileSync(configPath, 'utf8')) as {
      profiles: { default: { menu: { menus: { entries: { id: string; label: string }[] }[] } } };
    };
    const entries = onDisk.profiles.default.menu.menus[0]!.entries;
    assert.deepEqual(
      entries.map((e) => e.id),
      ['gamma', 'beta', 'alpha'],
    );
    assert.equal(entries[1]!.label, 'Beta edited');
    await page.screenshot({ path: join(tmpdir(), 'bootlab-menu-editor.png'), fullPage: true });
  });

  test('duplicate and delete change the preview; export downloads the menu; import loads a file into the draft', async () => {
    await page.locator('[data-testid="duplicate-alpha"]').click();
    await waitForRows(['Gamma', 'Beta edited', 'Alpha', 'Alpha (copy)']);
    await page.locator('[data-testid="delete-alpha-2"]').click();
    await waitForRows(['Gamma', 'Beta edited', 'Alpha']);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = join(tmpdir(), `bootlab-menu-export-${process.pid}.json`);
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      menu: { menus: { entries: { id: string }[] }[] };
    };
    rmSync(file, { force: true });
    assert.equal(exported.format, 'bootlab-menu');
    assert.deepEqual(
      exported.menu.menus[0]!.entries.map((e) => e.id),
      ['gamma', 'beta', 'alpha'],
    );

    const imported = {
      format: 'bootlab-menu',
      version: 1,
      menu: {
        menus: [{ id: 'main', title: 'Imported', entries: [{ id: 'delta', kind: 'shell', label: 'Delta' }] }],
      },
    };
    await page.locator('[data-testid="import-file"]').setInputFiles({
      name: 'menu.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(imported)),
    });
    await waitForRows(['Delta']);
    await page.locator('[data-testid="entry-row-delta"]').waitFor();
    await page.locator('[data-testid="menu-preview-screen"]', { hasText: 'Imported' }).waitFor();
    // Not saved until Save: Revert brings the stored menu back.
    await page.getByRole('button', { name: 'Revert' }).click();
    await waitForRows(['Gamma', 'Beta edited', 'Alpha']);

    await page.locator('[data-testid="import-file"]').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          menus: [{ id: 'main', title: 'Bad', entries: [{ id: 'k', kind: 'linux', label: 'K' }] }],
        }),
      ),
    });
    await page.locator('.problem', { hasText: 'not a valid Bootlab menu' }).waitFor();
  });
});
