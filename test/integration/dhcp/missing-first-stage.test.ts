import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientRequest, encodePacket } from '../../../services/dhcp/codec.js';
import { MSG, OPT, u8 } from '../../../services/dhcp/options.js';
import { Netns, netnsUnavailableReason } from '../../helpers/netns.js';
import { Lan, runAsync, startHarness, tempDir, type Harness } from './lan.js';

const here = dirname(fileURLToPath(import.meta.url));
const skip = netnsUnavailableReason();

/** A DISCOVER shaped like ARM64 UEFI PXE firmware's (EDK2 ArmVirtQemu): option 93 = 11, PXEClient:Arch:00011. */
function firmwareDiscover(arch: number): string {
  const archHex = String(arch).padStart(5, '0');
  return encodePacket(
    clientRequest('02:00:00:00:00:00', 1, [
      [OPT.messageType, u8(MSG.DISCOVER)],
      [OPT.paramList, Buffer.from([1, 3, 6, 43, 60, 66, 67, 128, 129, 130, 131, 132, 133, 134, 135])],
      [57, Buffer.from([0x05, 0xc0])],
      [OPT.vendorClass, Buffer.from(`PXEClient:Arch:${archHex}:UNDI:003001`)],
      [93, Buffer.from([0, arch])],
      [94, Buffer.from([1, 3, 16])],
      [97, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0x11)])],
    ]),
  ).toString('hex');
}

interface Reply {
  type: number;
  yiaddr: string;
  file: string;
  bootfile?: string;
}

async function pxeClient(ns: Netns, mac: string, arch: number): Promise<Reply[]> {
  const r = await runAsync(ns, process.execPath, [
    '--import',
    'tsx',
    join(here, 'pxe-client.ts'),
    JSON.stringify({ packet: firmwareDiscover(arch), mac, seconds: 2, to: '10.77.0.255:67' }),
  ]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as Reply[];
}

const missingLines = (h: Harness, mac: string): string[] =>
  h
    .events('log')
    .map((e) => String(e.message))
    .filter((m) => m.includes(mac) && m.includes('ipxe-arm64.efi'));

for (const mode of ['proxy', 'full'] as const) {
  test(
    `${mode} mode: an ARM64 DISCOVER with no ARM64 first stage gets no dead file name, the log says so once, and a file that appears is used`,
    { skip, timeout: 120_000 },
    async () => {
      const lan = Lan.create();
      const srv = Netns.create('blmsrv');
      const cl = Netns.create('blmcl');
      const data = tempDir('bootlab-dhcp-missing-');
      const arm = '52:54:00:0a:0b:0c';
      const x64 = '52:54:00:0a:0b:0d';
      let h: Harness | undefined;
      try {
        lan.attach(srv, '10.77.0.1/24');
        // An address outside the pool only so the client's broadcast has a route (replies are broadcast anyway).
        lan.attach(cl, '10.77.0.60/24', 'eth0', arm);
        h = startHarness(srv, {
          interface: 'eth0',
          bootRoot: data.path,
          dataDir: data.path,
          httpPort: 8080,
          dhcp: { mode, forceFull: true, pool: { start: '10.77.0.100', end: '10.77.0.120' } },
        });
        const ready = await h.ready;
        assert.ok(ready.ok, JSON.stringify(ready));
        const entry = (
          ready.ok
            ? (ready.info.firstStage as { entries: { use: string; source: string; note: string }[] })
            : undefined
        )!.entries.find((e) => e.use === 'UEFI ARM64');
        assert.equal(entry?.source, 'missing', 'the DHCP page lists the ARM64 file as missing');
        assert.match(entry!.note, /no boot file until it is there/);

        // Three DISCOVERs from the same ARM64 machine: never the dead name, one log line.
        for (let i = 0; i < 3; i++) {
          const replies = await pxeClient(cl, arm, 11);
          for (const r of replies) {
            assert.ok(!r.file.includes('arm64') && !(r.bootfile ?? '').includes('arm64'), JSON.stringify(r));
          }
          if (mode === 'proxy') assert.deepEqual(replies, [], 'proxy mode does not answer it at all');
          else {
            assert.equal(replies.length, 1, 'full mode still gives the machine an address');
            assert.equal(replies[0]!.type, MSG.OFFER);
            assert.match(replies[0]!.yiaddr, /^10\.77\.0\.1\d\d$/);
            assert.equal(replies[0]!.file, '');
            assert.equal(replies[0]!.bootfile, undefined);
          }
        }
        assert.equal(
          missingLines(h, arm).length,
          1,
          h
            .events('log')
            .map((e) => e.message)
            .join('\n'),
        );
        assert.match(missingLines(h, arm)[0]!, /UEFI ARM64.*not in the boot root.*Builder page/);
        if (mode === 'proxy')
          assert.ok(h.events('dhcp.drop').some((e) => e.reason === 'first-stage-missing'));

        // An x64 machine still gets its (existing) file: the check is per architecture.
        const x = await pxeClient(cl, x64, 7);
        assert.equal(x[0]?.file || x[0]?.bootfile, 'snponly.efi');

        // The builder (or the technician) puts the file in place: used from then on, no restart.
        writeFileSync(join(data.path, 'ipxe-arm64.efi'), Buffer.alloc(1024));
        await new Promise((r) => setTimeout(r, 2500));
        const after = await pxeClient(cl, arm, 11);
        assert.equal(after[0]?.file || after[0]?.bootfile, 'ipxe-arm64.efi');
      } finally {
        await h?.stop().catch(() => undefined);
        for (const ns of [cl, srv]) ns.destroy();
        lan.destroy();
        data.cleanup();
      }
    },
  );
}
