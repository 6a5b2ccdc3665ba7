/**
 * ISOs dropped into the library folder of a running Bootlab boot real firmware through the menu, with no
 * menu editing: the real `bootlab serve` runs in the lab namespace (DHCP, TFTP, HTTP on br0), the test
 * copies three ISOs into <boot root>/isos, waits until the library has inspected them, and boots QEMU VMs
 * whose host assignments (settings, not menu edits) pick each ISO's library entry:
 * 1. Debian's ipxe.iso (package ipxe) by sanboot, on BIOS and on UEFI (its EFI boot image): a second iPXE starts from the ISO, its next-boot
 *    assignment is used up, and the menu's default boots this run's marker;
 * 2. Debian's grub-rescue-cdrom.iso (package grub-rescue-pc) by sanboot, BIOS only: GRUB starts from the
 *    ISO mapped over HTTP (its text screen reaches the serial console through QEMU's sgabios);
 * 3. a Debian installer ISO built here with xorriso in the layout of Debian's mini.iso (/linux,
 *    /initrd.gz; debian-installer build/config/x86.cfg) from the real kernel and initrd of the package
 *    debian-installer-12-netboot-amd64: detected as the netboot installer, its kernel and initrd taken out
 *    once and booted over HTTP to the installer's first screen on the serial console.
 */
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBootPayload, markerCmdline, newMarker } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason, labVm } from '../../helpers/lab-boot.js';
import { serveInLab, stopLabProcess, writeLabProfile } from '../../helpers/lab-bootlab.js';
import { LAB, LabNet } from '../../helpers/lab-net.js';
import { libraryIdFor } from '../../../services/library/iso-library.js';
import type { LibraryOverview } from '../../../services/library/views.js';
import { buildIso, xorrisoMissing } from '../../integration/library/iso-builder.js';

const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const GRUB_ISO = '/usr/lib/grub-rescue/grub-rescue-cdrom.iso';
const DI = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64';
const SGABIOS = '/usr/share/qemu/sgabios.bin';

function missing(): string | undefined {
  const lab = labBootUnavailableReason('bios');
  if (lab) return lab;
  const x = xorrisoMissing();
  if (x) return x;
  if (spawnSync('7z', ['i']).status !== 0) return '7-Zip is not installed (Debian package p7zip-full)';
  if (!existsSync(IPXE_ISO)) return 'ipxe.iso is missing (Debian package ipxe)';
  if (!existsSync(GRUB_ISO)) return 'grub-rescue-cdrom.iso is missing (Debian package grub-rescue-pc)';
  if (!existsSync(join(DI, 'linux')))
    return 'the Debian installer is missing (Debian package debian-installer-12-netboot-amd64)';
  if (!existsSync(SGABIOS)) return 'sgabios is missing (Debian package qemu-system-data)';
  return undefined;
}
const skip = missing() ?? false;

const MAC_IPXE = '52:54:00:14:00:01';
const MAC_GRUB = '52:54:00:14:00:02';
const MAC_MINI = '52:54:00:14:00:03';
const MAC_IPXE_UEFI = '52:54:00:14:00:04';
const skipUefi = labBootUnavailableReason('uefi') ?? false;
const entry = (file: string, method: 'k' | 's'): string => `lib-${libraryIdFor(file)}-${method}`;

describe('ISOs dropped in the library folder boot through the menu', { skip }, () => {
  let lab: LabNet;
  let bootlab: ChildProcess | undefined;
  let api = '';
  let token = '';
  const marker = newMarker();

  const get = (path: string): LibraryOverview =>
    JSON.parse(
      lab.ns.run('curl', ['-sf', '-H', `x-bootlab-token: ${token}`, `${api}${path}`]),
    ) as LibraryOverview;

  before(async () => {
    const payload = ensureBootPayload();
    lab = LabNet.create();
    const dataDir = lab.dir('library-data');
    const bootRoot = lab.dir('library-root');
    copyFileSync(payload.kernel, join(bootRoot, 'vmlinuz'));
    copyFileSync(payload.initrd, join(bootRoot, 'initrd.img'));
    const src = lab.dir('library-src');
    // Debian's mini.iso layout: kernel and initrd at the top (no boot loader needed for a network boot).
    buildIso(join(src, 'debian-mini.iso'), {
      volumeId: 'Debian bookworm mini',
      files: { linux: readFileSync(join(DI, 'linux')), 'initrd.gz': readFileSync(join(DI, 'initrd.gz')) },
    });
    writeLabProfile(dataDir, {
      bootRoot,
      dhcp: { mode: 'full', pool: { start: LAB.poolStart, end: LAB.poolEnd }, probeSeconds: 1 },
      // The installer's screens go to the serial console only when the kernel is told so.
      library: { args: { 'debian-mini.iso': 'console=ttyS0,115200n8' } },
      menu: {
        root: 'main',
        autoRescue: false,
        menus: [
          {
            id: 'main',
            title: 'Bootlab library lab',
            timeout: 2,
            default: 'payload',
            entries: [
              {
                id: 'payload',
                kind: 'linux',
                label: 'Payload',
                kernel: 'vmlinuz',
                initrds: ['initrd.img'],
                cmdline: markerCmdline(marker),
              },
            ],
          },
        ],
        hosts: [
          { mac: MAC_IPXE, action: { type: 'next-boot', entry: entry('ipxe.iso', 's'), then: 'menu' } },
          { mac: MAC_GRUB, action: { type: 'entry', entry: entry('grub-rescue-cdrom.iso', 's') } },
          { mac: MAC_MINI, action: { type: 'entry', entry: entry('debian-mini.iso', 'k') } },
          {
            mac: MAC_IPXE_UEFI,
            action: { type: 'next-boot', entry: entry('ipxe.iso', 's'), then: 'menu' },
          },
        ],
      },
    });
    ({ child: bootlab, api, token } = await serveInLab(lab, dataDir, ['--services', 'dhcp,tftp,http']));
    // Dropped while Bootlab runs: no restart, no menu edit.
    mkdirSync(join(bootRoot, 'isos'), { recursive: true });
    copyFileSync(IPXE_ISO, join(bootRoot, 'isos', 'ipxe.iso'));
    copyFileSync(GRUB_ISO, join(bootRoot, 'isos', 'grub-rescue-cdrom.iso'));
    copyFileSync(join(src, 'debian-mini.iso'), join(bootRoot, 'isos', 'debian-mini.iso'));
    const until = Date.now() + 180_000;
    for (;;) {
      const lib = get('/api/library');
      if (lib.isos.length === 3 && lib.isos.every((i) => i.state === 'ready' || i.state === 'failed')) break;
      if (Date.now() > until) throw new Error(`the library did not finish: ${JSON.stringify(lib.isos)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  after(async () => {
    await stopLabProcess(bootlab);
    lab?.destroy();
  });

  test('each dropped ISO is inspected and given the right boot method', () => {
    const lib = get('/api/library');
    const by = (f: string) => lib.isos.find((i) => i.file === f)!;
    assert.equal(by('ipxe.iso').state, 'ready', by('ipxe.iso').message);
    assert.equal(by('ipxe.iso').method, 'sanboot');
    assert.equal(by('grub-rescue-cdrom.iso').method, 'sanboot');
    assert.equal(by('grub-rescue-cdrom.iso').inspection?.bootsUefi, false);
    const mini = by('debian-mini.iso');
    assert.equal(mini.state, 'ready', mini.message);
    assert.equal(mini.name, 'Debian bookworm mini', 'the name is read from the ISO');
    assert.equal(mini.inspection?.family, 'debian-installer');
    assert.equal(mini.method, 'extracted');
  });

  test("Debian's ipxe.iso boots by sanboot and its iPXE comes back to the menu", async (t) => {
    const r = await bootToMarker(lab, { firmware: 'bios', marker, mac: MAC_IPXE });
    t.diagnostic(`ipxe.iso via the library (BIOS): ${r.timings}`);
    const text = r.vm.consoleText();
    // ISOLINUX draws its prompt with cursor moves, which may land between its words ("boot \x1B[25;14Himage").
    assert.match(stripVTControlCharacters(text), /Booting from SAN device 0x80[\s\S]*iPXE ISO boot image/);
    assert.ok(
      (text.match(/iPXE initialising devices/g) ?? []).length >= 2,
      'a second iPXE started from the ISO',
    );
  });

  test(
    'UEFI: ipxe.iso boots by sanboot from its EFI boot image and comes back to the menu',
    { skip: skipUefi },
    async (t) => {
      const r = await bootToMarker(lab, { firmware: 'uefi-ipxe', marker, mac: MAC_IPXE_UEFI });
      t.diagnostic(`ipxe.iso via the library (UEFI): ${r.timings}`);
      const text = r.vm.consoleText();
      assert.match(text, /Registered SAN device 0x80\s+Booting from SAN device 0x80/);
      // The ISO's own iPXE (its feature list has SRP, the NIC ROM's does not) asks Bootlab again.
      assert.match(text, /Booting from SAN device 0x80[\s\S]*Features: [^\n]*SRP/);
      // (On UEFI the NIC ROM's iPXE prints no "initialising devices" line: the feature list tells them apart.)
    },
  );

  test("Debian's grub-rescue-cdrom.iso boots by sanboot into GRUB", async (t) => {
    // sgabios copies the BIOS text screen to the serial console, where the test can read GRUB's menu.
    const wrapper = join(lab.dir('qemu-sga'), 'qemu-sga');
    writeFileSync(wrapper, '#!/bin/sh\nexec qemu-system-x86_64 "$@" -device sga\n');
    chmodSync(wrapper, 0o755);
    const before = process.env.BOOTLAB_QEMU;
    process.env.BOOTLAB_QEMU = wrapper;
    const { vm, stop } = labVm(lab, { mac: MAC_GRUB, memoryMb: 256 });
    try {
      vm.start();
      const at = await vm.waitForConsole('Welcome to GRUB!', 120_000);
      t.diagnostic(`GRUB from the ISO after ${(at / 1000).toFixed(1)} s`);
      assert.match(vm.consoleText(), /Booting from SAN device 0x80[\s\S]*Welcome to GRUB!/);
    } finally {
      if (before === undefined) delete process.env.BOOTLAB_QEMU;
      else process.env.BOOTLAB_QEMU = before;
      await stop();
    }
  });

  test('the Debian installer ISO boots from its extracted kernel and initrd to the first screen', async (t) => {
    const { vm, stop } = labVm(lab, { mac: MAC_MINI, memoryMb: 1024 });
    try {
      vm.start();
      const at = await vm.waitForConsole('Select a language', 420_000);
      t.diagnostic(`Debian installer's first screen after ${(at / 1000).toFixed(1)} s`);
      const text = vm.consoleText();
      // iPXE wraps its progress lines at 80 columns.
      assert.ok(
        /bootlab-library\/[0-9a-f]{32}\/extracted\s*\/linux\.\.\.[\s\d%]*ok/.test(text),
        `the kernel came from the library cache: ${text
          .split('\n')
          .filter((l) => /extracted|linux\.\.\.|initrd\.gz\.\.\./.test(l))
          .slice(0, 6)
          .join(' | ')}`,
      );
      assert.ok(
        /extracted\s*\/initrd\.gz\.\.\.[\s\d%]*ok/.test(text),
        'the initrd came from the library cache',
      );
      assert.ok(
        text.includes('Kernel command line: initrd=initrd.gz console=ttyS0,115200n8'),
        'with the extra arguments',
      );
    } finally {
      await stop();
    }
  });
});
