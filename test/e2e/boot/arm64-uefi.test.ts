import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { buildIpxe, ipxeBuildUnavailableReason } from '../../helpers/ipxe-build.js';
import { labApiGet, waitForSession } from '../../helpers/lab-api.js';
import { bootToMarker, labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { BootlabInLab } from '../../helpers/lab-bootlab.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * ARM64 UEFI (issue 16): qemu-system-aarch64 (virt, TCG) with Debian's AAVMF and its virtio-net driver.
 * The firmware's PXE client asks with arch 11; Bootlab's policy hands it the ARM64 first stage by its
 * default name (ipxe-arm64.efi), which this test builds from the iPXE source (bin-arm64-efi/snponly.efi,
 * CROSS=aarch64-linux-gnu-) and places in the boot root, where the first-stage lookup finds it. iPXE then
 * gets the boot script and boots Debian's arm64 kernel + a busybox initramfs made from Debian's arm64
 * busybox-static, to the marker on the PL011 console (ttyAMA0).
 */
const BUILD = { target: 'bin-arm64-efi/snponly.efi', cross: 'aarch64-linux-gnu-' };
const skip = labBootUnavailableReason('arm64-uefi') ?? ipxeBuildUnavailableReason(BUILD);

describe('ARM64 UEFI boots the ARM64 iPXE and an ARM64 payload', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;
  let ipxeArm64 = '';

  before(async () => {
    payload = ensureBootPayload({ arch: 'arm64' });
    ipxeArm64 = (await buildIpxe(BUILD))[0]!;
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test('AAVMF PXE -> ipxe-arm64.efi (arch 11) -> script -> arm64 kernel -> marker', async (t) => {
    const marker = newMarker();
    const mac = '52:54:00:77:a6:01';
    const name = DEFAULT_FIRST_STAGE['efi-arm64'];
    const bl = await BootlabInLab.start(lab, {
      payload,
      cmdline: markerCmdline(marker, 'ttyAMA0'),
      dhcp: 'full',
      bootRootFiles: { [name]: ipxeArm64 },
    });
    try {
      const first = labApiGet<{ firstStage: { entries: { use: string; file: string; source: string }[] } }>(
        lab,
        bl,
        '/api/dhcp',
      ).firstStage.entries.find((e) => e.use === 'UEFI ARM64');
      assert.equal(first?.source, 'boot-root', `the DHCP page lists ${name} from the boot root`);
      const r = await bootToMarker(lab, { firmware: 'arm64-uefi', marker, mac }).catch((err: Error) => {
        err.message += `\n--- bootlab (end) ---\n${bl.tail(3000)}`;
        throw err;
      });
      t.diagnostic(`Bootlab ARM64 UEFI: marker after ${(r.markerAtMs / 1000).toFixed(1)} s; ${r.timings}`);
      const text = r.vm.consoleText();
      assert.match(
        text,
        new RegExp(`NBP filename is ${name.replace('.', '\\.')}`),
        'AAVMF was handed the ARM64 iPXE',
      );
      assert.match(text, /iPXE/, 'the ARM64 iPXE ran');
      assert.match(text, / : \d+ bytes \[script\]/, 'and got the boot script');
      const s = await waitForSession(lab, bl, mac, (c) => !!c.stageTimes?.kernel);
      t.diagnostic(
        `session: firmware ${s.firmware}, buildarch ${s.buildarch}, arch ${s.arch}, stage ${s.stage}`,
      );
      assert.match(s.firmware ?? '', /efi/, 'the Clients page shows a UEFI machine');
      assert.ok(s.arch === 11 || s.buildarch === 'arm64', 'an ARM64 one');
      assert.ok(s.stageTimes?.dhcp && s.stageTimes?.script && s.stageTimes?.kernel, 'with its stages');
    } finally {
      await bl.stop();
    }
  });
});
