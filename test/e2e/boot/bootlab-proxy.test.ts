import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, type BootPayload } from '../../helpers/boot-payload.js';
import { labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { bootFromBootlab } from '../../helpers/lab-bootlab.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * Bootlab in proxy mode beside another DHCP server (dnsmasq in the side namespace handing out addresses
 * 10.77.0.200-250 only, no boot options): the address comes from dnsmasq, everything else from Bootlab.
 */
const skip = labBootUnavailableReason('bios');
const skipUefi = labBootUnavailableReason('uefi');

describe('Bootlab proxy mode beside an address-only DHCP server', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;

  before(() => {
    payload = ensureBootPayload();
    lab = LabNet.create();
    lab.startAddressOnlyDhcp();
  });
  after(() => lab?.destroy());

  test('BIOS reaches the marker with an address from the other server', async (t) => {
    const r = await bootFromBootlab(lab, { payload, dhcp: 'proxy', firmware: 'bios' });
    t.diagnostic(`Bootlab BIOS proxy: ${r.timings}`);
    assert.match(r.vm.consoleText(), /net0: 10\.77\.0\.2\d\d\//, 'the address came from the side dnsmasq');
    assert.ok(
      r.stages.some((s) => s.stage === 'script'),
      'the boot script came from Bootlab',
    );
  });

  test(
    'UEFI (OVMF PXE) reaches the marker with an address from the other server',
    { skip: skipUefi },
    async (t) => {
      const r = await bootFromBootlab(lab, { payload, dhcp: 'proxy', firmware: 'uefi' });
      t.diagnostic(`Bootlab UEFI (OVMF PXE) proxy: ${r.timings}`);
      const text = r.vm.consoleText();
      assert.match(
        text,
        /Station IP address is 10\.77\.0\.2\d\d/,
        'OVMF took the address from the side dnsmasq',
      );
      assert.match(
        text,
        /NBP file downloaded successfully/,
        'and the first stage from Bootlab (proxyDHCP/4011)',
      );
    },
  );
});
