// `npm run bench -- builder-uefi`: which UEFI x64 image "Build Bootlab's iPXE" should serve by default
// (issue 12, docs/decisions.md): the native-driver ipxe.efi or the firmware-driver snponly.efi. Both are
// built by Bootlab from the same tree with the same script (DHCP, fetch a 64 MiB file over HTTP from
// Bootlab, then Bootlab's boot script); OVMF loads each on virtio, and on e1000 with a NIC ROM, in the lab, and the time
// between the script's "BIGSTART" and "BIGDONE" lines on the serial console gives the download rate.
// Same run, order alternated per NIC. TCG on a shared machine: compare the ratios, not the absolute rates.
// Results: bench/results/builder-uefi.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder } from '../services/builder/builder.js';
import { QemuVm } from '../services/lab/qemu-runner.js';
import type { LabNicModel } from '../services/lab/qemu-args.js';
import { ensureBootPayload, markerCmdline, markerLine, newMarker } from '../test/helpers/boot-payload.js';
import { IPXE_CACHE_DIR, ipxeBuildUnavailableReason, ipxeSourceTarball } from '../test/helpers/ipxe-build.js';
import { labBootUnavailableReason } from '../test/helpers/lab-boot.js';
import { BOOTLAB_HTTP_PORT, BootlabInLab } from '../test/helpers/lab-bootlab.js';
import { LabNet } from '../test/helpers/lab-net.js';

const BIG_MIB = 64;
const SCRIPT = [
  '#!ipxe',
  '# Bootlab bench: download rate of this image',
  'dhcp',
  'echo BIGSTART',
  `imgfetch --name big http://\${next-server}:${BOOTLAB_HTTP_PORT}/big.bin`,
  'echo BIGDONE',
  'imgfree big',
  `chain http://\${next-server}:${BOOTLAB_HTTP_PORT}/boot.ipxe`,
  '',
].join('\n');

export async function run(): Promise<void> {
  const why =
    labBootUnavailableReason('uefi') ?? ipxeBuildUnavailableReason({ target: 'bin-x86_64-efi/ipxe.efi' });
  if (why) throw new Error(`cannot run: ${why}`);
  const builder = new Builder({ dataDir: IPXE_CACHE_DIR, httpPort: () => BOOTLAB_HTTP_PORT, jobs: 2 });
  const src = await builder.sources.add({ kind: 'tarball', path: ipxeSourceTarball() });
  const done = await builder.wait(
    builder.submit({
      sourceId: src.id,
      targets: ['bin-x86_64-efi/ipxe.efi', 'bin-x86_64-efi/snponly.efi'],
      features: ['syslog'],
      script: { kind: 'custom', text: SCRIPT },
    }).id,
  );
  if (done.state !== 'succeeded') throw new Error(`build ${done.state}: ${done.error}`);
  const images = Object.fromEntries(
    done.artifactIds.map((id) => builder.artifacts.get(id)!).map((a) => [a.file, a.path]),
  ) as Record<string, string>;
  const payload = ensureBootPayload();
  const lab = LabNet.create();
  const rows: { nic: LabNicModel; image: string; seconds: number; mibPerSecond: number }[] = [];
  try {
    const big = join(lab.dir('big'), 'big.bin');
    writeFileSync(big, randomBytes(BIG_MIB * 1024 * 1024));
    // OVMF drives virtio itself; for e1000 it needs a NIC option ROM (the lab's "uefi-ipxe": iPXE's EFI ROM),
    // the NIC-ROM case where snponly.efi rides the ROM's SNP and ipxe.efi brings its own Intel driver.
    const nics: { nic: LabNicModel; firmware: 'uefi' | 'uefi-ipxe' }[] = [
      { nic: 'virtio', firmware: 'uefi' },
      { nic: 'e1000', firmware: 'uefi-ipxe' },
    ];
    for (const [n, { nic, firmware }] of nics.entries()) {
      const order = n % 2 ? ['snponly.efi', 'ipxe.efi'] : ['ipxe.efi', 'snponly.efi'];
      for (const image of order) {
        const marker = newMarker();
        const mac = `52:54:00:77:13:0${rows.length + 1}`;
        const bl = await BootlabInLab.start(lab, {
          payload,
          cmdline: markerCmdline(marker),
          dhcp: 'full',
          overrides: [{ mac, bootFile: 'ipxe-bench.efi' }],
          bootRootFiles: { 'ipxe-bench.efi': images[image]!, 'big.bin': big },
        });
        const tap = lab.addTap();
        const vm = new QemuVm({
          firmware,
          nic,
          mac,
          memoryMb: 512,
          network: { mode: 'tap', ifname: tap },
          netns: lab.ns.name,
          accel: 'tcg',
          noReboot: true,
          marker: markerLine(marker),
        });
        try {
          vm.start();
          const t0 = await vm.waitForConsole('BIGSTART', 300_000);
          const t1 = await vm.waitForConsole('BIGDONE', 300_000);
          const seconds = (t1 - t0) / 1000;
          rows.push({ nic, image, seconds, mibPerSecond: BIG_MIB / seconds });
          console.log(
            `${nic.padEnd(7)} ${image.padEnd(12)} ${BIG_MIB} MiB in ${seconds.toFixed(1)} s = ${(BIG_MIB / seconds).toFixed(1)} MiB/s`,
          );
        } finally {
          await vm.stop();
          lab.removeTap(tap);
          await bl.stop();
        }
      }
    }
  } finally {
    lab.destroy();
  }
  const ratio = (nic: LabNicModel) => {
    const a = rows.find((r) => r.nic === nic && r.image === 'ipxe.efi')!;
    const b = rows.find((r) => r.nic === nic && r.image === 'snponly.efi')!;
    return a.mibPerSecond / b.mibPerSecond;
  };
  for (const nic of ['virtio', 'e1000'] as const)
    console.log(`${nic}: ipxe.efi / snponly.efi download rate = ${ratio(nic).toFixed(2)}`);
  const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'builder-uefi.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        mib: BIG_MIB,
        rows,
        ratio: { virtio: ratio('virtio'), e1000: ratio('e1000') },
      },
      null,
      2,
    ) + '\n',
  );
}
