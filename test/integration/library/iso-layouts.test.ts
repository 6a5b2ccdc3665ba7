/**
 * Layout detection on real ISO images: Debian's own ipxe.iso (package ipxe) and grub-rescue-cdrom.iso
 * (package grub-rescue-pc), and small images the test builds with xorriso in each family's real layout.
 * Each layout's source is cited beside it. 7-Zip (p7zip-full) lists the files; Bootlab reads the volume
 * id and the El Torito catalog itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { listIsoFiles } from '../../../services/library/iso-files.js';
import { readIsoVolume } from '../../../services/library/iso-volume.js';
import { inspectLayout } from '../../../services/library/layouts.js';
import type { IsoFamily } from '../../../services/library/views.js';
import { buildIso, xorrisoMissing } from './iso-builder.js';

const skip =
  xorrisoMissing() ??
  (spawnSync('7z', ['i']).status === 0 ? undefined : '7-Zip is not installed (Debian package p7zip-full)');
const IPXE_ISO = '/usr/lib/ipxe/ipxe.iso';
const GRUB_ISO = '/usr/lib/grub-rescue/grub-rescue-cdrom.iso';

async function inspect(path: string) {
  const volume = await readIsoVolume(path);
  const files = await listIsoFiles(path);
  const { size } = await import('node:fs/promises').then((f) => f.stat(path));
  return inspectLayout(volume, files, size);
}

describe('ISO layout detection', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-layouts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const K = 'kernel-bytes';
  const boot = {
    'isolinux/isolinux.bin': Buffer.alloc(2048, 1),
    'EFI/BOOT/efiboot.img': Buffer.alloc(4096, 2),
  };

  test(
    "Debian's ipxe.iso: isolinux CD, BIOS and UEFI, booted whole by sanboot (memdisk offered)",
    { skip: existsSync(IPXE_ISO) ? false : 'Debian package ipxe is missing' },
    async () => {
      const r = await inspect(IPXE_ISO);
      assert.equal(r.volumeId, 'ISOIMAGE');
      assert.equal(r.family, 'isolinux');
      assert.equal(r.bootsBios, true);
      assert.equal(r.bootsUefi, true, 'its El Torito catalog has an EFI image (efi.img)');
      assert.deepEqual(
        r.plans.map((p) => p.method),
        ['sanboot', 'memdisk'],
      );
      assert.equal(r.plans[0]!.firmware, 'both');
    },
  );

  test(
    "Debian's grub-rescue-cdrom.iso: GRUB CD, BIOS only",
    { skip: existsSync(GRUB_ISO) ? false : 'Debian package grub-rescue-pc is missing' },
    async () => {
      const r = await inspect(GRUB_ISO);
      assert.equal(r.family, 'grub');
      assert.equal(r.bootsBios, true);
      assert.equal(r.bootsUefi, false);
      assert.equal(r.plans[0]!.method, 'sanboot');
      assert.equal(r.plans[0]!.firmware, 'bios');
      assert.match(r.plans[0]!.reason, /BIOS only/);
    },
  );

  const cases: {
    name: string;
    source: string;
    files: Record<string, string | Buffer>;
    family: IsoFamily;
    kernel?: string;
    initrds?: string[];
    cmdline?: RegExp;
    extract?: string[];
    method?: string;
    volumeId?: string;
  }[] = [
    {
      // Ubuntu live server / desktop ISOs: casper/vmlinuz + casper/initrd (ubuntu-cdimage, livecd-rootfs).
      name: 'Ubuntu casper',
      source: 'ubuntu.com/server/docs "netboot the live server installer": casper/vmlinuz, casper/initrd',
      files: { 'casper/vmlinuz': K, 'casper/initrd': 'i', 'casper/ubuntu-server-minimal.squashfs': 's' },
      family: 'ubuntu-casper',
      kernel: 'casper/vmlinuz',
      initrds: ['casper/initrd'],
      cmdline: /^ip=dhcp url=\{iso\}/,
    },
    {
      // live-build's binary tree: live/vmlinuz-<ver>, live/initrd.img-<ver>, live/filesystem.squashfs.
      name: 'Debian live (live-build)',
      source: 'live-build binary_linux-image: live/vmlinuz-*, live/initrd.img-*; live-boot(7) fetch=',
      files: {
        'live/vmlinuz-6.1.0-18-amd64': K,
        'live/initrd.img-6.1.0-18-amd64': 'i',
        'live/filesystem.squashfs': 's',
      },
      family: 'debian-live',
      kernel: 'live/vmlinuz-6.1.0-18-amd64',
      cmdline: /boot=live components fetch=\{tree\}\/live\/filesystem\.squashfs/,
      extract: ['live/vmlinuz-6.1.0-18-amd64', 'live/initrd.img-6.1.0-18-amd64', 'live/filesystem.squashfs'],
    },
    {
      // clonezilla.org/livepxe.php: live/vmlinuz, live/initrd.img, live/filesystem.squashfs, Clonezilla-Live-Version.
      name: 'Clonezilla live',
      source: 'clonezilla.org/livepxe.php',
      files: {
        'live/vmlinuz': K,
        'live/initrd.img': 'i',
        'live/filesystem.squashfs': 's',
        'Clonezilla-Live-Version': '3.2.0-5',
      },
      family: 'clonezilla',
      cmdline: /ocs_live_run=ocs-live-general.*fetch=\{tree\}\/live\/filesystem\.squashfs/,
    },
    {
      // gparted.org/livepxe.php: the same live/ files, plus GParted-Live-Version.
      name: 'GParted live',
      source: 'gparted.org/livepxe.php',
      files: {
        'live/vmlinuz': K,
        'live/initrd.img': 'i',
        'live/filesystem.squashfs': 's',
        'GParted-Live-Version': '1.6.0-10',
      },
      family: 'gparted',
      cmdline: /boot=live config components union=overlay username=user noswap noeject vga=788 fetch=/,
    },
    {
      // archiso: arch/boot/x86_64/vmlinuz-linux, initramfs-linux.img, arch/boot/*-ucode.img, arch/x86_64/airootfs.sfs.
      name: 'Arch Linux archiso',
      source: 'archiso configs/releng + docs/README.bootparams (archiso_http_srv=)',
      files: {
        'arch/boot/x86_64/vmlinuz-linux': K,
        'arch/boot/x86_64/initramfs-linux.img': 'i',
        'arch/boot/intel-ucode.img': 'u',
        'arch/boot/amd-ucode.img': 'u',
        'arch/x86_64/airootfs.sfs': 's',
        'arch/x86_64/airootfs.sha512': 'h',
      },
      family: 'archiso',
      initrds: [
        'arch/boot/amd-ucode.img',
        'arch/boot/intel-ucode.img',
        'arch/boot/x86_64/initramfs-linux.img',
      ],
      cmdline: /archisobasedir=arch archiso_http_srv=\{tree\}\/ ip=dhcp/,
    },
    {
      // SystemRescue: sysresccd/boot/x86_64/vmlinuz + sysresccd.img, sysresccd/x86_64/airootfs.sfs.
      name: 'SystemRescue',
      source: 'system-rescue.org/manual/PXE_network_booting',
      files: {
        'sysresccd/boot/x86_64/vmlinuz': K,
        'sysresccd/boot/x86_64/sysresccd.img': 'i',
        'sysresccd/x86_64/airootfs.sfs': 's',
        'sysresccd/x86_64/airootfs.sha512': 'h',
      },
      family: 'systemrescue',
      cmdline: /archisobasedir=sysresccd archiso_http_srv=\{tree\}\//,
      extract: [
        'sysresccd/boot/x86_64/vmlinuz',
        'sysresccd/boot/x86_64/sysresccd.img',
        'sysresccd/x86_64/airootfs.sfs',
        'sysresccd/x86_64/airootfs.sha512',
      ],
    },
    {
      // Fedora Workstation Live: images/pxeboot/{vmlinuz,initrd.img}, LiveOS/squashfs.img (lorax).
      name: 'Fedora live',
      source: 'lorax live templates; dracut.cmdline(7) root=live:',
      files: { 'images/pxeboot/vmlinuz': K, 'images/pxeboot/initrd.img': 'i', 'LiveOS/squashfs.img': 's' },
      family: 'fedora-live',
      cmdline: /^root=live:\{iso\} rd\.live\.image/,
    },
    {
      // Fedora/RHEL boot and DVD ISOs: images/pxeboot/*, images/install.img, .treeinfo (lorax).
      name: 'Fedora/RHEL installer',
      source: 'lorax x86.tmpl; Anaconda boot options inst.stage2=',
      files: {
        'images/pxeboot/vmlinuz': K,
        'images/pxeboot/initrd.img': 'i',
        'images/install.img': 's',
        '.treeinfo': '[general]',
      },
      family: 'fedora-installer',
      cmdline: /^inst\.stage2=\{tree\}/,
    },
    {
      // Debian mini.iso: /linux and /initrd.gz at the top (debian-installer build/config/x86.cfg, arch_miniiso).
      name: 'Debian mini.iso',
      source: 'debian-installer build/config/x86.cfg (arch_miniiso)',
      files: { linux: K, 'initrd.gz': 'i' },
      family: 'debian-installer',
      kernel: 'linux',
      initrds: ['initrd.gz'],
      cmdline: /^$/,
    },
    {
      // Debian netinst CD: install.amd/vmlinuz, install.amd/initrd.gz (debian-cd).
      name: 'Debian CD installer',
      source: 'debian-cd tools/boot/bookworm/boot-x86',
      files: { 'install.amd/vmlinuz': K, 'install.amd/initrd.gz': 'i' },
      family: 'debian-cd',
      method: 'sanboot',
    },
    {
      // openSUSE: boot/x86_64/loader/{linux,initrd} (kiwi / installation-images).
      name: 'openSUSE',
      source: 'openSUSE installation-images: boot/x86_64/loader/linux, initrd',
      files: { 'boot/x86_64/loader/linux': K, 'boot/x86_64/loader/initrd': 'i' },
      family: 'opensuse',
      method: 'sanboot',
    },
    {
      // Windows install media / WinPE: bootmgr, boot/bcd, boot/boot.sdi, sources/boot.wim (ipxe.org/wimboot).
      name: 'Windows / WinPE',
      source: 'ipxe.org/wimboot; Windows ADK MakeWinPEMedia layout',
      files: {
        bootmgr: 'b',
        'boot/bcd': 'c',
        'boot/boot.sdi': 'd',
        'sources/boot.wim': 'w',
        'efi/boot/bootx64.efi': 'e',
      },
      family: 'windows',
      method: 'wimboot',
      extract: ['bootmgr', 'boot/bcd', 'boot/boot.sdi', 'sources/boot.wim'],
    },
  ];

  for (const c of cases) {
    test(`${c.name} (${c.source})`, async () => {
      const iso = join(dir, `${c.family}.iso`);
      buildIso(iso, {
        volumeId: c.volumeId ?? c.family.toUpperCase().slice(0, 16),
        files: { ...boot, ...c.files },
        biosBoot: 'isolinux/isolinux.bin',
        efiBoot: 'EFI/BOOT/efiboot.img',
      });
      const r = await inspect(iso);
      assert.equal(r.family, c.family);
      assert.equal(r.bootsBios, true);
      assert.equal(r.bootsUefi, true);
      const plan = r.plans[0]!;
      assert.equal(plan.method, c.method ?? 'extracted');
      if (c.kernel) assert.equal(plan.kernel, c.kernel);
      if (c.initrds) assert.deepEqual(plan.initrds, c.initrds);
      if (c.cmdline) assert.match(plan.cmdline, c.cmdline);
      if (c.extract) assert.deepEqual(plan.extract, c.extract);
      assert.ok(plan.reason.length > 20, 'the reason is said in words');
      if (plan.method !== 'sanboot')
        assert.ok(
          r.plans.some((p) => p.method === 'sanboot'),
          'sanboot stays as an alternative',
        );
    });
  }

  test('an ISO without an El Torito record is offered with a warning, and a non-ISO is refused', async () => {
    const iso = join(dir, 'data.iso');
    buildIso(iso, { volumeId: 'DATA', files: { 'readme.txt': 'hello' } });
    const r = await inspect(iso);
    assert.equal(r.bootsBios, false);
    assert.match(r.plans[0]!.reason, /not bootable as a CD/);
    const fake = join(dir, 'fake.iso');
    await import('node:fs/promises').then((f) => f.writeFile(fake, Buffer.alloc(64 * 1024)));
    await assert.rejects(readIsoVolume(fake), /no ISO 9660 primary volume descriptor/);
  });
});
