import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, type BootPayload } from '../../helpers/boot-payload.js';
import { labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { bootFromBootlab } from '../../helpers/lab-bootlab.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * BIOS forced through TFTP undionly.kpxe first. QEMU's BIOS ROM already is iPXE and sends user-class
 * "iPXE", so only a per-host override (profile dhcp.overrides) makes Bootlab hand out undionly.kpxe; the
 * chained undionly asks again with the same user-class, and the override must not loop: the second ask
 * gets the script.
 */
const skip = labBootUnavailableReason('bios');
const MAC = '52:54:00:77:0b:01';

describe('Bootlab per-host override: BIOS through undionly.kpxe', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;

  before(() => {
    payload = ensureBootPayload();
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test('chains undionly.kpxe once over TFTP, then the script, then the marker', async (t) => {
    const r = await bootFromBootlab(lab, {
      payload,
      dhcp: 'full',
      firmware: 'bios',
      mac: MAC,
      overrides: [{ mac: MAC, bootFile: 'undionly.kpxe' }],
    });
    t.diagnostic(`Bootlab BIOS via undionly.kpxe: ${r.timings}`);
    const text = r.vm.consoleText();
    assert.match(text, /undionly\.kpxe\.\.\.(?: *\d+%)* *ok/, 'the ROM fetched undionly.kpxe');
    const starts = text.match(/iPXE initialising devices/g) ?? [];
    assert.equal(starts.length, 2, 'iPXE started twice: the ROM, then undionly (no loop)');
    assert.ok(r.stages.some((s) => s.stage === 'first-stage'));
  });
});
