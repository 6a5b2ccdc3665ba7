/**
 * The Builder page end to end against a stand-in make (test/fixtures/builder/fake-make.sh, through
 * BOOTLAB_MAKE): `bootlab serve`, add a local checkout (the fixture tree), start a build and watch the live
 * log and the progress in the page's terminal, cancel a build, let one finish and see its sha256, replay the
 * log after a reload, and hand the image out as the BIOS first stage (the DHCP API then names it and says
 * what it lacks). Real iPXE builds are tested in test/integration/builder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBootlabPage, type BootlabPage } from '../../helpers/browser.js';
import { loopbackServeArgs } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

const FAKE_SRC = resolve('test/fixtures/builder/fake-ipxe');

describe('Builder page', { skip: chromiumMissing }, () => {
  let session: BootlabPage;
  let page: Page;
  const shots = mkdtempSync(join(tmpdir(), 'bootlab-shots-'));
  const api = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(`${session.bootlab.base}${path}`, {
      ...init,
      headers: { 'x-bootlab-token': session.bootlab.token, 'content-type': 'application/json' },
    });
    return r.json() as Promise<Record<string, unknown>>;
  };
  const terminalText = () => page.locator('.xterm-rows').first().innerText();
  const terminalShows = (re: RegExp) => page.locator('.xterm-rows').filter({ hasText: re }).first().waitFor();

  before(async () => {
    process.env.BOOTLAB_MAKE = resolve('test/fixtures/builder/fake-make.sh');
    process.env.FAKE_MAKE_STEPS = '40';
    process.env.FAKE_MAKE_DELAY = '0.1';
    session = await openBootlabPage((dir) => loopbackServeArgs(dir, { services: 'http' }), 'Builder', {
      timeoutMs: 60_000,
    });
    ({ page } = session);
  });
  after(async () => {
    await session?.close();
    delete process.env.BOOTLAB_MAKE;
  });

  test('add a checkout, build with a live log and progress, cancel, finish with sha256, serve it', async () => {
    // Source: a checkout on this computer.
    await page.getByLabel('Source kind').selectOption('local');
    await page.getByLabel('Folder (the one containing src/)').fill(FAKE_SRC);
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.locator('[data-source]', { hasText: '9.8.7+' }).waitFor();

    // A build: live log and progress while make runs.
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    const statusBox = page.getByRole('status', { name: 'Build status' });
    await statusBox.locator('[data-progress]').waitFor();
    await terminalShows(/\[BUILD\] bin\/object\d+\.o/);
    const progress = await statusBox.locator('[data-progress]').innerText();
    const done = Number(/^(\d+)\//.exec(progress)?.[1]);
    assert.ok(done >= 1, `progress counts make's lines (${progress})`);
    await page.screenshot({ path: join(shots, 'builder-running.png'), fullPage: true });

    // Cancel it: the state says so, no image is stored.
    await page.getByRole('button', { name: 'Cancel build' }).click();
    await page.locator('[aria-label="Build status"][data-state="cancelled"]').waitFor();
    assert.match(await statusBox.innerText(), /Build cancelled/);

    // Build again to the end: the finished image with its sha256.
    process.env.FAKE_MAKE_DELAY = '0.01';
    await page.getByRole('button', { name: 'Build', exact: true }).click();
    await page.locator('[aria-label="Build status"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
    const built = await statusBox.locator('[data-built="bin/undionly.kpxe"]').innerText();
    const overview = (await api('/api/builder')) as {
      artifacts: { path: string; sha256: string; id: string }[];
    };
    assert.equal(overview.artifacts.length, 1);
    const art = overview.artifacts[0]!;
    const sha = createHash('sha256').update(readFileSync(art.path)).digest('hex');
    assert.equal(art.sha256, sha);
    assert.match(built, new RegExp(`undionly\\.kpxe: sha256 ${sha}`));
    const dl = (await api(`/api/builder/artifacts/${art.id}/download`)) as { file: string; base64: string };
    assert.equal(dl.file, 'undionly.kpxe');
    assert.equal(
      createHash('sha256').update(Buffer.from(dl.base64, 'base64')).digest('hex'),
      sha,
      'download = the stored image',
    );
    assert.match(await terminalText(), /Built bin\/undionly\.kpxe/);

    // A reload replays the log from the server's ring buffer.
    await page.reload();
    await page.locator('h1', { hasText: 'Builder' }).waitFor();
    await terminalShows(/\[BUILD\] bin\/object40\.o/);

    // One click: DHCP hands it out for BIOS, and the DHCP report says what it lacks.
    const row = page.locator(`[data-artifact="${art.id}"]`);
    await row.getByRole('button', { name: 'Serve for BIOS' }).click();
    await row.getByText('Handed out for BIOS').waitFor();
    const dhcp = (await api('/api/dhcp')) as {
      firstStage: { entries: { use: string; file: string; lacks: string[]; note: string }[] };
    };
    const bios = dhcp.firstStage.entries.find((e) => e.use.startsWith('BIOS'))!;
    assert.equal(bios.file, 'bootlab-ipxe/bios/undionly.kpxe');
    assert.deepEqual(bios.lacks, ['HTTPS', 'PeerDist']);
    assert.match(bios.note, /built by Bootlab from iPXE 9\.8\.7\+ with syslog/);
    await page.screenshot({ path: join(shots, 'builder-done.png'), fullPage: true });
  });

  test("Build Bootlab's iPXE: the recommended set, then DHCP hands each out; old images can be deleted", async () => {
    await page.getByRole('button', { name: 'Build Bootlab’s iPXE' }).click();
    await page
      .locator('[aria-label="Build status"][data-state="succeeded"]', { hasText: 'snponly.efi' })
      .waitFor({ timeout: 60_000 });
    // Serving happens when the build has succeeded: poll the DHCP report.
    type Entry = { use: string; file: string; lacks: string[]; note: string };
    let entries: Entry[] = [];
    for (let i = 0; i < 150; i++) {
      entries = ((await api('/api/dhcp')) as { firstStage: { entries: Entry[] } }).firstStage.entries;
      if (entries.find((e) => e.use === 'UEFI x64')?.file.startsWith('bootlab-ipxe/')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const bios = entries.find((e) => e.use.startsWith('BIOS'))!;
    const x64 = entries.find((e) => e.use === 'UEFI x64')!;
    assert.equal(bios.file, 'bootlab-ipxe/bios/undionly.kpxe');
    assert.equal(x64.file, 'bootlab-ipxe/efi-x64/ipxe.efi');
    assert.deepEqual(bios.lacks, [], 'syslog, HTTPS and PeerDist are all in');
    assert.deepEqual(x64.lacks, []);
    const overview = (await api('/api/builder')) as {
      arm64: boolean;
      artifacts: { id: string; target: string; servedAs: string[] }[];
      disk: { artifactsBytes: number };
    };
    if (overview.arm64)
      assert.equal(entries.find((e) => e.use === 'UEFI ARM64')?.file, 'bootlab-ipxe/efi-arm64/ipxe.efi');
    assert.ok(overview.disk.artifactsBytes > 0);
    // Delete the first (no longer served) image: gone from the table and from the store.
    const first = overview.artifacts.find(
      (a) => a.target === 'bin/undionly.kpxe' && a.servedAs.length === 0,
    )!;
    const row = page.locator(`[data-artifact="${first.id}"]`);
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    const after = (await api('/api/builder')) as { artifacts: { id: string }[] };
    assert.ok(!after.artifacts.some((a) => a.id === first.id));

    // Bootlab's HTTP port changes: images whose generated script asks the old port are marked stale.
    const newPort = await freePort('tcp');
    await api('/api/config', { method: 'PUT', body: JSON.stringify({ http: { port: newPort } }) });
    const stale = (await api('/api/builder')) as {
      artifacts: { target: string; script: string; stale: string | null }[];
    };
    const served = stale.artifacts.find((a) => a.target === 'bin/undionly.kpxe' && a.script === 'generated')!;
    assert.match(served.stale ?? '', new RegExp(`Bootlab now uses ${newPort}: build it again`));
    await page.reload();
    await page.getByText(`Bootlab now uses ${newPort}`).first().waitFor();
  });
});
