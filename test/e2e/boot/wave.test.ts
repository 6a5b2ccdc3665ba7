import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LabFirmware, LabNicModel } from '../../../services/lab/qemu-args.js';
import type { LeaseView } from '../../../services/dhcp/views.js';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason, type LabBootResult } from '../../helpers/lab-boot.js';
import { BootlabInLab } from '../../helpers/lab-bootlab.js';
import { labApiGet, waitForSession } from '../../helpers/lab-api.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * A wave (issue 16): four machines boot at once, two BIOS and two UEFI with different NICs, first with
 * Bootlab as the only DHCP server (full mode), then in proxy mode beside an address-only dnsmasq. Each one
 * must reach the marker, appear on the Clients page (GET /api/clients) with its firmware and stages, and
 * no address may be handed out twice. TCG on a shared 2-core machine: four VMs at once take minutes, so
 * each boot gets a generous timeout; the assertions are about outcomes, never durations.
 */
const skip = labBootUnavailableReason('uefi');

interface Machine {
  mac: string;
  firmware: LabFirmware;
  nic: LabNicModel;
}

const WAVE: Machine[] = [
  { mac: '52:54:00:77:3a:01', firmware: 'bios', nic: 'e1000' },
  { mac: '52:54:00:77:3a:02', firmware: 'bios', nic: 'rtl8139' },
  { mac: '52:54:00:77:3a:03', firmware: 'uefi', nic: 'virtio' }, // OVMF's own PXE -> snponly.efi over TFTP
  { mac: '52:54:00:77:3a:04', firmware: 'uefi-ipxe', nic: 'e1000' },
];

/** Four TCG VMs share two busy cores: give each far more than a lone boot needs. */
const WAVE_TIMEOUT_MS = 900_000;

/** The IPv4 address the machine's console reports (OVMF "Station IP address", iPXE "net0: a.b.c.d/"). */
function consoleAddress(text: string): string | undefined {
  return (
    /Station IP address is (\d+\.\d+\.\d+\.\d+)/.exec(text)?.[1] ??
    /net\d: (\d+\.\d+\.\d+\.\d+)\//.exec(text)?.[1]
  );
}

async function wave(lab: LabNet, bl: BootlabInLab, marker: string): Promise<Map<string, LabBootResult>> {
  const started = Date.now();
  const results = await Promise.allSettled(
    WAVE.map((m) =>
      bootToMarker(lab, { firmware: m.firmware, nic: m.nic, mac: m.mac, marker, timeoutMs: WAVE_TIMEOUT_MS }),
    ),
  );
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${WAVE[i]!.firmware}/${WAVE[i]!.nic}: ${(r.reason as Error).message}`] : [],
  );
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of 4 machines did not reach the marker:\n${failed.join('\n')}\n--- bootlab ---\n${bl.tail(3000)}`,
    );
  }
  console.log(`wave of 4 done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return new Map(results.map((r, i) => [WAVE[i]!.mac, (r as PromiseFulfilledResult<LabBootResult>).value]));
}

async function checkSessions(
  lab: LabNet,
  bl: BootlabInLab,
  t: { diagnostic: (s: string) => void },
): Promise<void> {
  for (const m of WAVE) {
    const s = await waitForSession(lab, bl, m.mac, (c) => !!c.stageTimes?.kernel);
    t.diagnostic(
      `session ${m.mac} ${m.firmware}/${m.nic}: firmware ${s.firmware}, stage ${s.stage}, ip ${s.ip}, stages ${Object.keys(s.stageTimes ?? {}).join(',')}`,
    );
    assert.match(s.firmware ?? '', m.firmware === 'bios' ? /bios/ : /efi/, `${m.mac} shows its firmware`);
    for (const stage of ['dhcp', 'script', 'kernel'] as const)
      assert.ok(s.stageTimes?.[stage], `${m.mac} (${m.firmware}) went through the ${stage} stage`);
    if (m.firmware === 'uefi') assert.ok(s.stageTimes?.['first-stage'], `${m.mac} loaded its first stage`);
  }
}

describe('a wave of four machines at once', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;

  before(() => {
    payload = ensureBootPayload();
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test('full mode: all four reach the marker, four sessions, four different addresses', async (t) => {
    const marker = newMarker();
    const bl = await BootlabInLab.start(lab, { payload, cmdline: markerCmdline(marker), dhcp: 'full' });
    try {
      const results = await wave(lab, bl, marker);
      for (const [mac, r] of results)
        t.diagnostic(`full ${mac}: marker ${(r.markerAtMs / 1000).toFixed(1)} s | ${r.timings}`);
      const seen = WAVE.map((m) => consoleAddress(results.get(m.mac)!.vm.consoleText()));
      assert.ok(seen.every(Boolean), `every machine printed its address: ${seen.join(', ')}`);
      assert.equal(new Set(seen).size, 4, `four different addresses on the consoles: ${seen.join(', ')}`);
      const leases = labApiGet<{ leases: LeaseView[] }>(lab, bl, '/api/dhcp').leases;
      const ours = leases.filter((l) => WAVE.some((m) => m.mac === l.mac.toLowerCase()));
      assert.equal(
        ours.length,
        4,
        `one lease per machine: ${JSON.stringify(ours.map((l) => [l.mac, l.ip]))}`,
      );
      assert.equal(new Set(ours.map((l) => l.ip)).size, 4, 'no address handed out twice');
      assert.equal(
        new Set(leases.map((l) => l.ip)).size,
        leases.length,
        'no address twice in the whole table',
      );
      for (const m of WAVE) {
        const lease = ours.find((l) => l.mac.toLowerCase() === m.mac)!;
        assert.equal(
          consoleAddress(results.get(m.mac)!.vm.consoleText()),
          lease.ip,
          `${m.mac} uses its lease`,
        );
      }
      await checkSessions(lab, bl, t);
    } finally {
      await bl.stop();
    }
  });

  test('proxy mode beside an address-only dnsmasq: all four reach the marker, addresses from dnsmasq', async (t) => {
    const marker = newMarker();
    lab.startAddressOnlyDhcp();
    const bl = await BootlabInLab.start(lab, { payload, cmdline: markerCmdline(marker), dhcp: 'proxy' });
    try {
      const results = await wave(lab, bl, marker);
      for (const [mac, r] of results)
        t.diagnostic(`proxy ${mac}: marker ${(r.markerAtMs / 1000).toFixed(1)} s | ${r.timings}`);
      const seen = WAVE.map((m) => consoleAddress(results.get(m.mac)!.vm.consoleText()));
      assert.ok(
        seen.every((ip) => ip && /^10\.77\.0\.2\d\d$/.test(ip)),
        `every address came from the other server (10.77.0.200-250): ${seen.join(', ')}`,
      );
      assert.equal(new Set(seen).size, 4, `four different addresses: ${seen.join(', ')}`);
      const side = lab.sideLeases().filter((l) => WAVE.some((m) => m.mac === l.mac));
      assert.equal(side.length, 4, `dnsmasq holds one lease per machine: ${JSON.stringify(side)}`);
      assert.equal(new Set(side.map((l) => l.ip)).size, 4, 'dnsmasq handed out no address twice');
      const bootlabLeases = labApiGet<{ leases: LeaseView[] }>(lab, bl, '/api/dhcp').leases;
      assert.equal(bootlabLeases.length, 0, 'Bootlab handed out no address in proxy mode');
      await checkSessions(lab, bl, t);
    } finally {
      await bl.stop();
      await lab.stopAddressOnlyDhcp();
    }
  });
});
