import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot, startBootlab, type RunningBootlab } from './bootlab-process.js';

/** Debian's Chromium (never a downloaded browser build). */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (Debian package chromium)`;

/**
 * Starts headless Chromium with a fresh profile and the flags this closed network needs (without the
 * background-networking ones Chromium keeps trying to reach Google's hosts). close() also removes the profile.
 */
export async function launchBrowser(
  viewport = { width: 1360, height: 860 },
  opts: { executablePath?: string } = {},
): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const profileDir = mkdtempSync(join(tmpdir(), 'bootlab-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    // A wrapper script may run Chromium inside a test's network namespace (`ip netns exec`).
    executablePath: opts.executablePath ?? CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Builds dist/renderer when it is missing or older than any file under renderer/. */
export function ensureRendererBuilt(): void {
  const built = join(repoRoot, 'dist/renderer/index.html');
  const stale = (): boolean => {
    if (!existsSync(built)) return true;
    const builtAt = statSync(built).mtimeMs;
    const newer = (dir: string): boolean =>
      readdirSync(dir, { withFileTypes: true }).some((e) =>
        e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > builtAt,
      );
    return newer(join(repoRoot, 'renderer'));
  };
  if (!stale()) return;
  const build = spawnSync('npm', ['run', 'build:renderer'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the renderer failed');
}

/** What openBootlabPage returns. */
export type BootlabPage = Awaited<ReturnType<typeof openBootlabPage>>;

/**
 * One browser session on one page of a real `bootlab <args>` (built UI, fresh data dir, fresh browser
 * profile), for page-level browser tests. close() stops everything and removes the temp folders.
 */
export async function openBootlabPage(
  args: (dataDir: string) => string[] | Promise<string[]>,
  navLabel: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ bootlab: RunningBootlab; page: Page; dataDir: string; close: () => Promise<void> }> {
  ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-page-'));
  const bootlab = await startBootlab(await args(dataDir), { timeoutMs: opts.timeoutMs });
  const browser = await launchBrowser();
  const { page } = browser;
  await page.goto(bootlab.url);
  await page.getByRole('navigation').getByRole('link', { name: navLabel, exact: true }).click();
  await page.locator('h1', { hasText: navLabel }).waitFor();
  return {
    bootlab,
    page,
    dataDir,
    close: async () => {
      await browser.close();
      await bootlab.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
