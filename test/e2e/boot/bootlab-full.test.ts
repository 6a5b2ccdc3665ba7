import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, type BootPayload } from '../../helpers/boot-payload.js';
import { labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { bootFromBootlab } from '../../helpers/lab-bootlab.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * Bootlab in full mode (it hands out the addresses) on the lab bridge: real firmware boots the payload to
 * its marker through Bootlab's DHCP -> (TFTP) -> HTTP path. Stage timings go to the test output.
 */
// Whether these can run is decided by the machine (QEMU, firmware, root), never by the source text.
const skip = labBootUnavailableReason('bios');
const skipUefi = labBootUnavailableReason('uefi');

describe('Bootlab full mode boots real firmware in the lab', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;

  before(() => {
    payload = ensureBootPayload();
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test('BIOS (SeaBIOS + iPXE ROM) reaches the marker', async (t) => {
    const r = await bootFromBootlab(lab, { payload, dhcp: 'full', firmware: 'bios' });
    t.diagnostic(`Bootlab BIOS full: ${r.timings}`);
    // The address came from Bootlab's pool (10.77.0.100-150): iPXE prints "net0: 10.77.0.1xx/255.255.255.0".
    assert.match(r.vm.consoleText(), /net0: 10\.77\.0\.1\d\d\//);
    assert.ok(
      r.stages.some((s) => s.stage === 'script'),
      'iPXE ran a script from Bootlab',
    );
  });

  test('bootlab serve: BIOS gets the menu and its default entry boots the payload', async (t) => {
    const r = await bootFromBootlab(lab, { payload, dhcp: 'full', firmware: 'bios', command: 'serve' });
    t.diagnostic(`Bootlab serve (menu) BIOS full: ${r.timings}`);
    assert.match(r.vm.consoleText(), /Lab payload/, 'iPXE drew the menu with the entry');
  });

  test(
    "UEFI with OVMF's own PXE client loads a first stage over TFTP and reaches the marker",
    { skip: skipUefi },
    async (t) => {
      const r = await bootFromBootlab(lab, { payload, dhcp: 'full', firmware: 'uefi' });
      t.diagnostic(`Bootlab UEFI (OVMF PXE) full: ${r.timings}`);
      const text = r.vm.consoleText();
      assert.match(text, /Station IP address is 10\.77\.0\.1\d\d/, 'OVMF got its address from Bootlab');
      assert.match(text, /NBP filename is \S+\.efi/, 'OVMF was handed an EFI first stage');
      assert.match(
        text,
        /NBP file downloaded successfully/,
        'the first stage arrived over TFTP (OVMF size probe included)',
      );
    },
  );

  test('UEFI with the iPXE ROM reaches the marker', { skip: skipUefi }, async (t) => {
    const r = await bootFromBootlab(lab, { payload, dhcp: 'full', firmware: 'uefi-ipxe' });
    t.diagnostic(`Bootlab UEFI (iPXE ROM) full: ${r.timings}`);
    assert.match(r.vm.consoleText(), /net0: 10\.77\.0\.1\d\d\//);
  });
});
