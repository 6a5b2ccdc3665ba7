/**
 * The rendered menu is accepted by a real iPXE. Bootlab's DHCP, TFTP and HTTP services run in the lab
 * namespace with the menu manager installed (menu-lab-harness.ts); QEMU VMs boot from them:
 * 1. BIOS (SeaBIOS + iPXE ROM), no assignment: the menu (headers, a BIOS-only entry, firmware branches)
 *    times out after 2 s to its default entry, a kernel whose /init prints this run's marker A;
 * 2. a machine with a "next boot only" assignment to a non-default entry boots it (marker B), the used
 *    assignment is saved away, and its next boot gets the menu's default again (marker A);
 * 3. UEFI (OVMF + iPXE ROM): the same menu's default entry boots through the EFI branch (marker A);
 * 4. a machine assigned the pxelinux entry: iPXE chains pxelinux.0 with options 209/210, pxelinux reads
 *    the virtual pxelinux.cfg/default rendered from the same menu, and its timeout boots marker A;
 * 5./6. ISO entries by sanboot over HTTP and by memdisk (BIOS): the ISO is Debian's ipxe.iso, so the
 *    machine comes back to Bootlab from a second iPXE, its next-boot assignment used up, and reaches A.
 * 7. an entry pointing at the detected system memtest86+ (bootlab-rescue/, served from /boot) starts it.
 * Check-ins from the script (menu, chosen, booting) reach the HTTP server.
 */
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason, labVm } from '../../helpers/lab-boot.js';
import { stopLabProcess, writeLabProfile } from '../../helpers/lab-bootlab.js';
import { LAB, LabNet } from '../../helpers/lab-net.js';

const HARNESS = fileURLToPath(new URL('./menu-lab-harness.ts', import.meta.url));
const skip = labBootUnavailableReason('bios');
const skipUefi = labBootUnavailableReason('uefi');
const MAC_PLAIN = '52:54:00:77:00:01';
const MAC_NEXT = '52:54:00:77:00:02';
const MAC_UEFI = '52:54:00:77:00:03';
const MAC_PXELINUX = '52:54:00:77:00:04';
const MAC_SANBOOT = '52:54:00:77:00:05';
const MAC_MEMDISK = '52:54:00:77:00:06';
const MAC_MEMTEST = '52:54:00:77:00:07';
const MEMTEST_BIN = '/boot/memtest86+x64.bin';
const skipMemtest = existsSync(MEMTEST_BIN)
  ? false
  : 'memtest86+ is not installed (Debian package memtest86+)';
const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const MEMDISK = '/usr/lib/syslinux/memdisk';
const skipIso = existsSync(IPXE_ISO) ? false : 'ipxe.iso is missing (Debian package ipxe)';
const skipMemdisk =
  skipIso || (existsSync(MEMDISK) ? false : 'memdisk is missing (Debian package syslinux-common)');
const PXELINUX = '/usr/lib/PXELINUX/pxelinux.0';
const SYSLINUX_MODULES = '/usr/lib/syslinux/modules/bios';
const skipPxelinux =
  existsSync(PXELINUX) && existsSync(join(SYSLINUX_MODULES, 'menu.c32'))
    ? false
    : 'pxelinux is not installed (Debian packages pxelinux, syslinux-common)';

describe('menus rendered by Bootlab boot real firmware', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;
  let harness: ChildProcess;
  const lines: string[] = [];
  const markerA = newMarker();
  const markerB = newMarker();

  const events = (): Record<string, unknown>[] =>
    lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

  before(async () => {
    payload = ensureBootPayload();
    lab = LabNet.create();
    const dataDir = lab.dir('menu-data');
    const bootRoot = lab.dir('menu-root');
    copyFileSync(payload.kernel, join(bootRoot, 'vmlinuz'));
    copyFileSync(payload.initrd, join(bootRoot, 'initrd.img'));
    if (!skipIso) copyFileSync(IPXE_ISO, join(bootRoot, 'ipxe.iso'));
    if (!skipMemdisk) copyFileSync(MEMDISK, join(bootRoot, 'memdisk'));
    if (!skipPxelinux) {
      copyFileSync(PXELINUX, join(bootRoot, 'pxelinux.0'));
      for (const m of ['ldlinux.c32', 'libcom32.c32', 'libutil.c32', 'menu.c32']) {
        copyFileSync(join(SYSLINUX_MODULES, m), join(bootRoot, m));
      }
    }
    const menu = {
      root: 'main',
      autoRescue: false,
      menus: [
        {
          id: 'main',
          title: 'Bootlab lab menu',
          timeout: 2,
          default: 'payload-a',
          entries: [
            { id: 'hdr', kind: 'header', label: 'Lab payloads' },
            {
              id: 'payload-a',
              kind: 'linux',
              label: 'Payload A',
              kernel: 'vmlinuz',
              initrds: ['initrd.img'],
              cmdline: markerCmdline(markerA),
            },
            {
              id: 'payload-b',
              kind: 'linux',
              label: 'Payload B',
              kernel: 'vmlinuz',
              initrds: ['initrd.img'],
              cmdline: markerCmdline(markerB),
            },
            {
              id: 'old-iso',
              kind: 'iso',
              label: 'Old ISO (memdisk)',
              iso: 'none.iso',
              method: 'memdisk',
              firmware: 'bios',
            },
            { id: 'sep', kind: 'separator' },
            { id: 'tools', kind: 'submenu', label: 'Tools', menu: 'tools' },
            { id: 'local', kind: 'local', label: 'Boot from local disk' },
            { id: 'legacy', kind: 'pxelinux', label: 'Legacy pxelinux menu' },
            { id: 'iso-san', kind: 'iso', label: 'iPXE ISO (sanboot)', iso: 'ipxe.iso', method: 'sanboot' },
            {
              id: 'mt',
              kind: 'binary',
              label: 'Memtest86+ (system copy)',
              efi: 'bootlab-rescue/memtest86+x64.efi',
              bios: 'bootlab-rescue/memtest86+x64.bin',
              args: 'console=ttyS0,115200',
            },
            {
              id: 'iso-mem',
              kind: 'iso',
              label: 'iPXE ISO (memdisk)',
              iso: 'ipxe.iso',
              method: 'memdisk',
              firmware: 'bios',
            },
          ],
        },
        { id: 'tools', title: 'Tools', entries: [{ id: 'shell', kind: 'shell', label: 'iPXE shell' }] },
      ],
      hosts: [
        { mac: MAC_NEXT, action: { type: 'next-boot', entry: 'payload-b', then: 'menu' } },
        { mac: MAC_PXELINUX, action: { type: 'entry', entry: 'legacy' } },
        // The ISO is iPXE itself: once it runs it asks Bootlab again, the assignment is used up, and the
        // menu's default boots the marker.
        { mac: MAC_SANBOOT, action: { type: 'next-boot', entry: 'iso-san', then: 'menu' } },
        { mac: MAC_MEMDISK, action: { type: 'next-boot', entry: 'iso-mem', then: 'menu' } },
        { mac: MAC_MEMTEST, action: { type: 'entry', entry: 'mt' } },
      ],
    };
    const configPath = writeLabProfile(dataDir, {
      bootRoot,
      dhcp: { mode: 'full', pool: { start: LAB.poolStart, end: LAB.poolEnd }, probeSeconds: 1 },
      menu,
    });
    harness = lab.ns.spawn(process.execPath, ['--import', 'tsx', HARNESS, configPath], { stdio: 'pipe' });
    await new Promise<void>((ok, fail) => {
      let buf = '';
      const timer = setTimeout(
        () => fail(new Error(`the menu harness did not start:\n${lines.join('\n')}`)),
        60_000,
      );
      harness.stdout?.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        lines.push(...parts);
        if (parts.some((l) => l.startsWith('MENU-HARNESS ready'))) {
          clearTimeout(timer);
          ok();
        }
      });
      harness.stderr?.on('data', (d: Buffer) => lines.push(d.toString('utf8')));
      harness.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the menu harness exited (${code}):\n${lines.join('\n')}`));
      });
    });
  });

  after(async () => {
    await stopLabProcess(harness);
    lab?.destroy();
  });

  test('BIOS: the menu times out to its default entry and boots it', async (t) => {
    const r = await bootToMarker(lab, { firmware: 'bios', marker: markerA, mac: MAC_PLAIN });
    t.diagnostic(`menu default boot (BIOS): ${r.timings}`);
    const text = r.vm.consoleText();
    assert.doesNotMatch(
      text,
      /Could not boot|command not found|Invalid argument/,
      'the script ran without errors',
    );
    // iPXE drew the menu; the BIOS-only memdisk entry is a normal item here (greyed out on UEFI, below).
    assert.match(text, /Bootlab lab menu/);
    assert.match(text, /Old ISO \(memdisk\)/);
    assert.doesNotMatch(text, /\(BIOS only\)/);
    const mine = events().filter((e) => e.type === 'checkin' && e.mac === MAC_PLAIN);
    assert.deepEqual(
      mine.map((e) => `${e.event}${e.entry ? ' ' + e.entry : ''}`),
      // 'script' is the server's own record of the boot script being served (services/stats/script-checkin.ts).
      ['script', 'menu', 'chosen payload-a', 'booting payload-a'],
      'the script checked in at each step',
    );
  });

  test('a next-boot assignment boots the non-default entry once, then the menu default again', async (t) => {
    const first = await bootToMarker(lab, { firmware: 'bios', marker: markerB, mac: MAC_NEXT });
    t.diagnostic(`next-boot entry (BIOS): ${first.timings}`);
    assert.doesNotMatch(
      first.vm.consoleText(),
      /Bootlab lab menu/,
      'the assigned entry boots without the menu',
    );
    const saved = events().filter((e) => e.type === 'saved');
    assert.ok(saved.length >= 1, 'the used assignment was saved');
    const hosts = saved.at(-1)!.hosts as { mac: string }[];
    assert.ok(!hosts.some((h) => h.mac === MAC_NEXT), 'then: "menu" removes the assignment');
    assert.ok(
      hosts.some((h) => h.mac === MAC_PXELINUX),
      'other machines keep theirs',
    );
    const second = await bootToMarker(lab, { firmware: 'bios', marker: markerA, mac: MAC_NEXT });
    t.diagnostic(`the same machine again (BIOS): ${second.timings}`);
    assert.match(second.vm.consoleText(), /Bootlab lab menu/, 'the menu is back');
  });

  test('UEFI: the default entry boots through the EFI branch', { skip: skipUefi }, async (t) => {
    const r = await bootToMarker(lab, { firmware: 'uefi-ipxe', marker: markerA, mac: MAC_UEFI });
    t.diagnostic(`menu default boot (UEFI iPXE): ${r.timings}`);
    assert.match(
      r.vm.consoleText(),
      /Old ISO \(memdisk\) \(BIOS only\)/,
      'the BIOS-only entry is greyed out with its reason',
    );
    const mine = events().filter((e) => e.type === 'checkin' && e.mac === MAC_UEFI);
    assert.ok(mine.some((e) => e.event === 'booting' && e.entry === 'payload-a'));
  });

  test(
    'pxelinux chained from iPXE reads the rendered pxelinux.cfg/default and boots its default',
    { skip: skipPxelinux },
    async (t) => {
      const r = await bootToMarker(lab, { firmware: 'bios', marker: markerA, mac: MAC_PXELINUX });
      t.diagnostic(`pxelinux menu boot (BIOS): ${r.timings}`);
      // pxelinux draws with cursor moves, sometimes in the middle of a word: compare without escapes.
      // eslint-disable-next-line no-control-regex
      const text = r.vm.consoleText().replace(/\x1b(?:\[[0-9;?]*[A-Za-z]|c)/g, '');
      assert.match(text, /PXELINUX \d/, 'pxelinux ran');
      assert.match(
        text,
        /PXELINUX[\s\S]*Bootlab lab menu[\s\S]*Automatic boot in/,
        "menu.c32 drew the rendered menu's title and counted down",
      );
      assert.doesNotMatch(
        text,
        /Bootlab lab menu[\s\S]*PXELINUX/,
        'iPXE went straight to the assigned entry',
      );
    },
  );

  for (const [method, mac, skipReason] of [
    ['sanboot', MAC_SANBOOT, skipIso],
    ['memdisk', MAC_MEMDISK, skipMemdisk],
  ] as const) {
    test(
      `ISO by ${method}: the ISO boots, and its iPXE comes back to the menu`,
      { skip: skipReason },
      async (t) => {
        const r = await bootToMarker(lab, { firmware: 'bios', marker: markerA, mac });
        t.diagnostic(`ISO by ${method} (BIOS): ${r.timings}`);
        const text = r.vm.consoleText();
        // sanboot maps the ISO as drive 0x80 over HTTP ranges; memdisk downloads it whole, then emulates a disk.
        const proof =
          method === 'sanboot'
            ? /Booting from SAN device 0x80[\s\S]*iPXE ISO boot image/
            : /memdisk\.\.\. ok[\s\S]*ipxe\.iso\.\.\. ok[\s\S]*iPXE ISO boot image/;
        // ISOLINUX draws its banner with cursor moves, which may land inside a word ("iPXE I\x1B[25;06HSO").
        assert.match(stripVTControlCharacters(text), proof, 'the ISO booted (its isolinux banner)');
        assert.ok(
          (text.match(/iPXE initialising devices/g) ?? []).length >= 2,
          'a second iPXE started from the ISO',
        );
        const mine = events().filter((e) => e.type === 'checkin' && e.mac === mac);
        assert.deepEqual(
          mine.map((e) => `${e.event}${e.entry ? ' ' + e.entry : ''}`),
          [
            'script',
            'menu',
            `chosen iso-${method === 'sanboot' ? 'san' : 'mem'}`,
            `booting iso-${method === 'sanboot' ? 'san' : 'mem'}`,
            // the ISO's own iPXE fetches the boot script again and shows the menu
            'script',
            'menu',
            'chosen payload-a',
            'booting payload-a',
          ],
        );
      },
    );
  }

  test("the system's memtest86+ is served from /boot and starts on BIOS", { skip: skipMemtest }, async () => {
    // memtest86+ never ends on its own: wait for its banner on the serial console, then stop the VM.
    const { vm, stop } = labVm(lab, { mac: MAC_MEMTEST, memoryMb: 256 });
    try {
      vm.start();
      await vm.waitForConsole('Memtest86+', 120_000);
      assert.match(vm.consoleText(), /bootlab-rescue\/memtest86\+x64\.bin\.\.\. ok/);
    } finally {
      await stop();
    }
  });
});
