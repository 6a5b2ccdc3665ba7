#!/usr/bin/env node
/**
 * Refreshes the README screenshots in docs/screenshots (tests never write there): starts a throwaway
 * `bootlab serve` on loopback with a sample menu and the HTTP and syslog services running, opens each page
 * in Debian's Chromium at 1366×850 and saves `<name>.png`.
 *
 *   node scripts/screenshots.mjs              every page below
 *   node scripts/screenshots.mjs menu dhcp    only these
 *   node scripts/screenshots.mjs --out DIR    somewhere else (e.g. a temp folder to look at)
 *
 * Adding a page is one line in PAGES: file name, the sidebar label, and optionally what to do first
 * (`prepare(page)`, e.g. open an entry) — the page is captured once its <h1> shows and the network is idle.
 */
/* global fetch, setTimeout */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @type {{ name: string; nav: string; prepare?: (page: import('playwright-core').Page) => Promise<void> }[]} */
export const PAGES = [
  { name: 'dashboard', nav: 'Dashboard' },
  { name: 'clients', nav: 'Clients' },
  { name: 'dhcp', nav: 'DHCP' },
  { name: 'menu', nav: 'Menu' },
  { name: 'test-boot', nav: 'Test boot' },
  { name: 'builder', nav: 'Builder' },
  { name: 'logs', nav: 'Logs' },
  { name: 'settings', nav: 'Settings' },
];

const SAMPLE_MENU = {
  version: 1,
  root: 'main',
  menus: [
    {
      id: 'main',
      title: 'Bench tools',
      timeout: 15,
      default: 'disk',
      entries: [
        { id: 'disk', kind: 'local', label: 'Boot from the local disk' },
        { id: 'tools', kind: 'header', label: 'Rescue and diagnostics' },
        { id: 'memtest', kind: 'binary', label: 'Memtest86+', bios: 'memtest64.bin', efi: 'memtest64.efi' },
        { id: 'shell', kind: 'shell', label: 'iPXE shell' },
        { id: 'reboot', kind: 'reboot', label: 'Reboot' },
      ],
    },
  ],
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startBootlab(args) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services/cli.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`bootlab exited (${code}) before it was ready`)));
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /Bootlab ready: (http:\/\/[^\s#]+)\/#token=(\S+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({ child, base: m[1], token: m[2], url: `${m[1]}/#token=${m[2]}` });
      }
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : join(root, 'docs/screenshots');
  const only = argv.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
  const pages = only.length ? PAGES.filter((p) => only.includes(p.name)) : PAGES;
  if (pages.length === 0)
    throw new Error(`No such page: ${only.join(', ')}. Pages: ${PAGES.map((p) => p.name).join(', ')}`);
  mkdirSync(out, { recursive: true });

  const build = spawn('npm', ['run', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  if ((await new Promise((r) => build.once('exit', r))) !== 0)
    throw new Error('building the renderer failed');

  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-screens-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'bootlab-screens-chromium-'));
  // The sample menu's files, so the screenshots show a menu without errors.
  mkdirSync(join(dataDir, 'boot'), { recursive: true });
  for (const f of ['memtest64.bin', 'memtest64.efi']) writeFileSync(join(dataDir, 'boot', f), 'sample\n');
  const app = await startBootlab([
    'serve',
    '--data-dir',
    dataDir,
    '--interface',
    'lo',
    '--dhcp',
    'off',
    '--ui-port',
    '0',
    '--http-port',
    String(await freePort()),
    '--tftp-port',
    String(await freePort()),
    '--syslog-port',
    String(await freePort()),
    '--services',
    'http,tftp,syslog',
    '--quiet',
  ]);
  let context;
  try {
    const saved = await fetch(`${app.base}/api/menu`, {
      method: 'PUT',
      headers: { 'x-bootlab-token': app.token, 'content-type': 'application/json' },
      body: JSON.stringify(SAMPLE_MENU),
    });
    if (!saved.ok) throw new Error(`the sample menu was refused: ${await saved.text()}`);
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1366, height: 850 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(app.url);
    for (const p of pages) {
      await page.getByRole('navigation').getByRole('link', { name: p.nav, exact: true }).click();
      await page.locator('h1', { hasText: p.nav }).first().waitFor();
      await page.waitForLoadState('networkidle');
      if (p.prepare) await p.prepare(page);
      await page.waitForTimeout(400);
      const file = join(out, `${p.name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${file}\n`);
    }
  } finally {
    await context?.close();
    app.child.kill('SIGTERM');
    rmSync(profileDir, { recursive: true, force: true });
    setTimeout(() => rmSync(dataDir, { recursive: true, force: true }), 1000);
  }
}

main().catch((err) => {
  process.stderr.write(`screenshots: ${err.message}\n`);
  process.exit(1);
});
