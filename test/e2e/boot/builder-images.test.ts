import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Builder } from '../../../services/builder/builder.js';
import { ensureBootPayload, type BootPayload } from '../../helpers/boot-payload.js';
import { IPXE_CACHE_DIR, ipxeBuildUnavailableReason, ipxeSourceTarball } from '../../helpers/ipxe-build.js';
import { labApiGet } from '../../helpers/lab-api.js';
import { labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { BOOTLAB_HTTP_PORT, bootFromBootlab } from '../../helpers/lab-bootlab.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * Images built by Bootlab's builder boot real firmware in the lab. Both carry the generated script
 * (DHCP, then Bootlab's boot script at ${proxydhcp/next-server} or ${next-server}) and syslog; they are the
 * same request as test/integration/builder/real-builds.test.ts (shared cache: no second compile).
 * - OVMF (UEFI x64) loads the built ipxe.efi as its first stage (a per-host override names it) and reaches
 *   the payload's marker; the script's own echo line shows it was our image that ran.
 * - A BIOS VM is forced through the built undionly.kpxe (QEMU's iPXE ROM is the PXE first stage, a
 *   per-host override hands out undionly.kpxe), reaches the marker, and iPXE's syslog lines reach
 *   Bootlab's syslog receiver (the machine log of the statistics).
 */
const skip =
  labBootUnavailableReason('uefi') ??
  ipxeBuildUnavailableReason({ targets: ['bin/undionly.kpxe', 'bin-x86_64-efi/ipxe.efi'] });
const SCRIPT_ECHO = /Bootlab: loading the boot script from 10\.77\.0\.1/;

describe('Bootlab-built iPXE in the lab', { skip, timeout: 60 * 60_000 }, () => {
  let lab: LabNet;
  let payload: BootPayload;
  let efi: string;
  let bios: string;

  before(async () => {
    payload = ensureBootPayload();
    const builder = new Builder({ dataDir: IPXE_CACHE_DIR, httpPort: () => BOOTLAB_HTTP_PORT, jobs: 2 });
    const src = await builder.sources.add({ kind: 'tarball', path: ipxeSourceTarball() });
    const done = await builder.wait(
      builder.submit({
        sourceId: src.id,
        targets: ['bin/undionly.kpxe', 'bin-x86_64-efi/ipxe.efi'],
        features: ['syslog'],
        script: { kind: 'generated' },
      }).id,
    );
    assert.equal(done.state, 'succeeded', done.error);
    [bios, efi] = done.artifactIds.map((id) => builder.artifacts.get(id)!.path) as [string, string];
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test('OVMF loads the built ipxe.efi, which runs its script and reaches the marker', async (t) => {
    const mac = '52:54:00:77:12:01';
    const r = await bootFromBootlab(lab, {
      payload,
      dhcp: 'full',
      firmware: 'uefi',
      mac,
      overrides: [{ mac, bootFile: 'ipxe-built.efi' }],
      bootRootFiles: { 'ipxe-built.efi': efi },
    });
    t.diagnostic(`OVMF → built ipxe.efi → marker: ${r.timings}`);
    const text = r.vm.consoleText();
    assert.match(text, /ipxe-built\.efi/, 'the firmware fetched the built image');
    assert.match(text, SCRIPT_ECHO, "the built image's embedded script ran");
  });

  test('BIOS through the built undionly.kpxe reaches the marker; its syslog lines reach Bootlab', async (t) => {
    const mac = '52:54:00:77:12:02';
    let lines: { source: string; text: string }[] = [];
    const r = await bootFromBootlab(lab, {
      payload,
      dhcp: 'full',
      firmware: 'bios',
      mac,
      overrides: [{ mac, bootFile: 'undionly.kpxe' }],
      bootRootFiles: { 'undionly.kpxe': bios },
      onBooted: (bl) => {
        lines = labApiGet<{ lines: { source: string; text: string }[] }>(
          lab,
          bl,
          '/api/stats/machine-log?limit=5000',
        ).lines;
      },
    });
    t.diagnostic(`BIOS → built undionly.kpxe → marker: ${r.timings}`);
    const text = r.vm.consoleText();
    assert.match(text, /undionly\.kpxe\.\.\.(?: *\d+%)* *ok/, 'the ROM fetched undionly.kpxe');
    assert.match(text, SCRIPT_ECHO, "the built image's embedded script ran");
    const syslog = lines.filter((l) => l.source === 'syslog');
    t.diagnostic(`syslog lines from the machine: ${syslog.length}`);
    assert.ok(
      syslog.some((l) => SCRIPT_ECHO.test(l.text)),
      `the script's echo line arrived over syslog (got: ${syslog
        .map((l) => l.text)
        .slice(0, 10)
        .join(' | ')})`,
    );
  });
});
