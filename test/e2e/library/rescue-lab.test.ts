/**
 * One-click rescue in the lab: a plain dnsmasq in the side namespace hands out addresses (no boot
 * options), Bootlab runs in the lab namespace with every service stopped and DHCP set to full mode. The
 * technician picks a tool from the library (an ISO in Debian's mini.iso layout whose kernel and initrd are
 * the lab payload) and presses Rescue (POST /api/library/rescue): Bootlab switches DHCP to auto, finds the
 * other server and runs in proxy mode beside it, makes the tool the menu's default and starts every
 * service. A BIOS VM then gets its address from dnsmasq and boots the tool to this run's marker.
 * The button is pressed on the Dashboard in Debian's Chromium, run inside the lab namespace (where the UI
 * listens), and the card shows the DHCP mode and then the first machine booting.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, markerCmdline, newMarker } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { LAB, LabNet } from '../../helpers/lab-net.js';
import { libraryIdFor } from '../../../services/library/iso-library.js';
import type { LibraryOverview } from '../../../services/api/contract.js';
import { buildIso, xorrisoMissing } from '../../integration/library/iso-builder.js';
import { chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromiumMissing, ensureRendererBuilt, CHROMIUM, launchBrowser } from '../../helpers/browser.js';
import { serveInLab, stopLabProcess, writeLabProfile } from '../../helpers/lab-bootlab.js';

const skip =
  labBootUnavailableReason('bios') ??
  (chromiumMissing || undefined) ??
  xorrisoMissing() ??
  (spawnSync('7z', ['i']).status === 0 ? false : '7-Zip is not installed (Debian package p7zip-full)');

describe('one-click rescue beside another DHCP server', { skip }, () => {
  let lab: LabNet;
  let bootlab: ChildProcess | undefined;
  let api = '';
  let token = '';
  let dataDir = '';
  let uiUrl = '';
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const marker = newMarker();

  const curl = (method: string, path: string, body?: unknown): string =>
    lab.ns.run(
      'curl',
      [
        '-s',
        '-X',
        method,
        '-H',
        `x-bootlab-token: ${token}`,
        ...(body ? ['-H', 'content-type: application/json', '--data', JSON.stringify(body)] : []),
        `${api}${path}`,
      ],
      { timeoutMs: 60_000 },
    );

  before(async () => {
    ensureRendererBuilt();
    const payload = ensureBootPayload();
    lab = LabNet.create();
    lab.startAddressOnlyDhcp();
    dataDir = lab.dir('rescue-data');
    const bootRoot = lab.dir('rescue-root');
    mkdirSync(join(bootRoot, 'isos'));
    buildIso(join(bootRoot, 'isos', 'tool.iso'), {
      volumeId: 'LAB TOOL',
      files: { linux: readFileSync(payload.kernel), 'initrd.gz': readFileSync(payload.initrd) },
    });
    writeLabProfile(dataDir, {
      bootRoot,
      // Full mode on purpose: the rescue button must choose the mode itself. dnsmasq pings an address
      // before it offers it (about 3 s for a new client): the default probe time (6 s) must find it.
      dhcp: { mode: 'full', pool: { start: LAB.poolStart, end: LAB.poolEnd } },
      library: { args: { 'tool.iso': markerCmdline(marker) } },
    });
    ({ child: bootlab, api, token, uiUrl } = await serveInLab(lab, dataDir, ['--no-start']));
    const until = Date.now() + 60_000;
    while (
      !(JSON.parse(curl('GET', '/api/library')) as LibraryOverview).isos.some((i) => i.state === 'ready')
    ) {
      if (Date.now() > until)
        throw new Error(`the tool ISO was not inspected: ${curl('GET', '/api/library')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  after(async () => {
    await browser?.close();
    await stopLabProcess(bootlab);
    lab?.destroy();
  });

  test('Rescue on the Dashboard picks proxy mode, makes the tool the default and a VM boots it', async (t) => {
    // Chromium runs inside the lab namespace, where the UI listens on 127.0.0.1.
    const wrapper = join(lab.dir('chromium-ns'), 'chromium');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lab.ns.name} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await launchBrowser({ width: 1360, height: 900 }, { executablePath: wrapper });
    const { page } = browser;
    await page.goto(uiUrl);
    const card = page.getByTestId('rescue-card');
    await card.waitFor({ timeout: 30_000 });
    const entryId = `lib-${libraryIdFor('tool.iso')}-k`;
    await card.getByLabel('Rescue tool').selectOption(entryId);
    await card.getByRole('button', { name: 'Rescue' }).click();
    const dhcp = card.getByTestId('rescue-dhcp');
    await dhcp.waitFor({ timeout: 60_000 });
    assert.match(
      await dhcp.innerText(),
      /proxy/i,
      `another DHCP server answered: proxy mode\n${lab.sideLog()}`,
    );
    assert.match(await card.getByTestId('rescue-result').innerText(), /dhcp running/);
    const cfg = JSON.parse(curl('GET', '/api/config')) as {
      profile: {
        dhcp: { mode: string };
        menu: { menus: { id: string; default?: string; entries: { id: string }[] }[] };
      };
    };
    assert.equal(cfg.profile.dhcp.mode, 'auto');
    const main = cfg.profile.menu.menus[0]!;
    assert.equal(main.default, 'rescue');
    assert.equal(main.entries[0]!.id, 'rescue');
    const mac = '52:54:00:14:0e:01';
    const r = await bootToMarker(lab, { firmware: 'bios', marker, mac });
    t.diagnostic(`one-click rescue boot (BIOS, proxy): ${r.timings}`);
    const text = r.vm.consoleText();
    assert.match(text, /net0: 10\.77\.0\.2\d\d\//, 'the address came from the other DHCP server');
    assert.ok(
      /bootlab-library\/[0-9a-f]{32}\/extracted\s*\/linux\.\.\.[\s\d%]*ok/.test(text),
      'the tool came from the library',
    );
    // The card followed the machine.
    const machine = card.getByTestId('rescue-machine');
    await page.waitForTimeout(1000);
    assert.match(await machine.innerText(), new RegExp(mac));
    await page.screenshot({ path: join(tmpdir(), `bootlab-rescue-${Date.now()}.png`) });
  });
});
