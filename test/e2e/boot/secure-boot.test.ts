import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { BootlabInLab } from '../../helpers/lab-bootlab.js';
import { labApiGet, waitForSession } from '../../helpers/lab-api.js';
import { LabNet } from '../../helpers/lab-net.js';
import { signedChainMissing } from '../../../services/dhcp/signed-chain.js';

/**
 * Secure Boot (issue 16): OVMF with Secure Boot on and Microsoft's keys enrolled (Debian's
 * OVMF_CODE_4M.secboot.fd + OVMF_VARS_4M.ms.fd). One Bootlab (quick mode), two machines:
 *  - a machine not on the Secure Boot list gets iPXE (unsigned), and the firmware refuses to run it;
 *  - a machine on the list (per-MAC setting) gets Microsoft-signed shim -> Debian-signed GRUB (grubx64.efi)
 *    -> GRUB config generated from the menu (grub/grub.cfg) -> Debian-signed kernel + the payload initrd,
 *    and reaches the marker.
 */
const skip = labBootUnavailableReason('uefi-secureboot') ?? signedChainMissing('/nonexistent');

const SIGNED_MAC = '52:54:00:77:5b:01';
const UNSIGNED_MAC = '52:54:00:77:5b:02';

describe('Secure Boot: unsigned iPXE refused, signed shim -> GRUB -> kernel boots', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;
  let bl: BootlabInLab;
  const marker = newMarker();

  before(async () => {
    payload = ensureBootPayload();
    lab = LabNet.create();
    bl = await BootlabInLab.start(lab, {
      payload,
      cmdline: markerCmdline(marker),
      dhcp: 'full',
      secureBoot: { allMachines: false, hosts: [{ mac: SIGNED_MAC, chain: 'signed' }] },
    });
  });
  after(async () => {
    await bl?.stop();
    lab?.destroy();
  });

  test('a machine not on the Secure Boot list gets iPXE, and the firmware refuses it', async (t) => {
    const r = await bootToMarker(lab, {
      firmware: 'uefi-secureboot',
      marker,
      mac: UNSIGNED_MAC,
      waitFor: 'Access Denied',
    });
    const text = r.vm.consoleText();
    t.diagnostic(`refused after ${(r.markerAtMs / 1000).toFixed(1)} s`);
    assert.match(text, /NBP filename is snponly\.efi/, 'Bootlab handed this machine iPXE');
    assert.match(text, /NBP file downloaded successfully/, 'the file arrived');
    assert.match(
      text,
      /failed to load Boot\d+ "UEFI PXEv4[^"]*"[^\n]*Access Denied/,
      'and Secure Boot refused it',
    );
    assert.doesNotMatch(text, /iPXE/, 'iPXE never ran');
  });

  test('a machine on the Secure Boot list boots shim -> GRUB -> signed kernel to the marker', async (t) => {
    let r;
    try {
      r = await bootToMarker(lab, { firmware: 'uefi-secureboot', marker, mac: SIGNED_MAC });
    } catch (err) {
      (err as Error).message += `\n--- bootlab (end) ---\n${bl.tail(3000)}`;
      throw err;
    }
    t.diagnostic(
      `Bootlab Secure Boot (shim -> GRUB -> kernel): marker after ${(r.markerAtMs / 1000).toFixed(1)} s; ${r.timings}`,
    );
    const text = r.vm.consoleText();
    assert.match(text, /NBP filename is shimx64\.efi/, 'Bootlab handed out shim, not iPXE');
    assert.doesNotMatch(text, /Access Denied|Security Violation/, 'the firmware accepted every stage');
    assert.match(
      text,
      /Loading Boot the quick-boot kernel again\.\.\./,
      'GRUB ran the entry of the generated grub.cfg',
    );
    const s = await waitForSession(lab, bl, SIGNED_MAC, (c) => !!c.stageTimes?.kernel);
    t.diagnostic(`session: firmware ${s.firmware}, stage ${s.stage}, downloads ${s.downloads}`);
    assert.match(s.firmware ?? '', /efi/, 'the Clients page shows a UEFI machine');
    assert.ok(s.stageTimes?.dhcp, 'with its DHCP stage');
    assert.ok(s.stageTimes?.['first-stage'], 'shim and GRUB as its first stage');
    assert.ok(s.stageTimes?.script, 'grub/grub.cfg as its script');
    assert.ok(s.stageTimes?.kernel, 'and the kernel over TFTP');
    const cfg = labApiGet<{ leases?: { mac: string; ip: string }[] }>(lab, bl, '/api/dhcp');
    assert.ok(JSON.stringify(cfg).includes(SIGNED_MAC), 'the machine holds a lease');
  });
});
