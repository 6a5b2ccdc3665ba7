import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { LabNet } from '../../helpers/lab-net.js';
import { ReferenceStack } from '../../helpers/lab-reference.js';

/**
 * Proves the lab itself (payload, namespaces + bridge + taps, QEMU runner, RA source) with a reference
 * stack (dnsmasq DHCP+TFTP, nginx HTTP). If these fail, the Bootlab boot tests cannot be trusted either.
 */
const skipBios = labBootUnavailableReason('bios');
const skipUefi = labBootUnavailableReason('uefi');

describe('test-boot lab with the reference stack (dnsmasq + nginx)', { skip: skipBios }, () => {
  let lab: LabNet;
  let ref: ReferenceStack;
  let payload: BootPayload;

  before(async () => {
    payload = ensureBootPayload();
    lab = LabNet.create();
    ref = await ReferenceStack.start(lab, { payload, cmdline: markerCmdline('unset') });
  });

  after(() => {
    ref?.stop();
    lab?.destroy();
  });

  test('BIOS (SeaBIOS + iPXE ROM): DHCP -> HTTP script -> kernel + initrd -> marker', async (t) => {
    const marker = newMarker();
    ref.setCmdline(markerCmdline(marker));
    const r = await bootToMarker(lab, { firmware: 'bios', marker });
    t.diagnostic(`reference BIOS: ${r.timings}`);
    assert.ok(
      r.stages.some((s) => s.stage === 'script'),
      'the iPXE script was loaded',
    );
    assert.ok(
      r.stages.some((s) => s.stage === 'marker'),
      'the marker appeared',
    );
  });

  for (const nic of ['e1000', 'rtl8139'] as const) {
    test(`BIOS with the ${nic} NIC (its own iPXE ROM) reaches the marker`, async (t) => {
      const marker = newMarker();
      ref.setCmdline(markerCmdline(marker));
      const r = await bootToMarker(lab, { firmware: 'bios', nic, marker });
      t.diagnostic(`reference BIOS ${nic}: ${r.timings}`);
      assert.ok(r.stages.some((s) => s.stage === 'marker'));
    });
  }

  test(
    'UEFI (OVMF own PXE): DHCP -> TFTP ipxe.efi -> iPXE DHCP -> script -> marker',
    { skip: skipUefi },
    async (t) => {
      const marker = newMarker();
      ref.setCmdline(markerCmdline(marker));
      const r = await bootToMarker(lab, { firmware: 'uefi', marker });
      t.diagnostic(`reference UEFI (OVMF PXE): ${r.timings}`);
      const text = r.vm.consoleText();
      assert.match(text, /NBP filename is ipxe\.efi/, "OVMF's own PXE client fetched ipxe.efi over TFTP");
      assert.ok(r.stages.some((s) => s.stage === 'first-stage'));
      assert.ok(r.stages.some((s) => s.stage === 'marker'));
    },
  );

  test('UEFI with the iPXE ROM: straight to the script -> marker', { skip: skipUefi }, async (t) => {
    const marker = newMarker();
    ref.setCmdline(markerCmdline(marker));
    const r = await bootToMarker(lab, { firmware: 'uefi-ipxe', marker });
    t.diagnostic(`reference UEFI (iPXE ROM): ${r.timings}`);
    assert.doesNotMatch(r.vm.consoleText(), /NBP filename/, 'no first stage: the ROM is iPXE');
    assert.ok(r.stages.some((s) => s.stage === 'marker'));
  });
});
