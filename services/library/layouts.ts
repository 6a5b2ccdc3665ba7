import type { IsoFileEntry } from './iso-files.js';
import type { IsoVolumeFacts } from './iso-volume.js';
import type { BootPlan, IsoFamily, IsoInspection } from './views.js';

/**
 * Picks how to network-boot an ISO from what is inside it. Pure: input is the volume facts and the file
 * listing, output the plans (recommended first). Each family's kernel arguments come from its project's
 * documentation, listed in docs/boot-library.md:
 *   casper (Ubuntu, Mint)      ubuntu.com/server/docs "netboot the live server installer": ip=dhcp url=<iso>
 *   live-boot (Debian live)    live-boot(7): fetch=<squashfs URL>
 *   Clonezilla                 clonezilla.org/livepxe.php; GParted: gparted.org/livepxe.php
 *   Debian mini.iso            debian-installer build/config/x86.cfg: /linux + /initrd.gz, fetches from a mirror
 *   archiso (Arch)             archiso docs/README.bootparams: archiso_http_srv=<URL ending in />
 *   SystemRescue               system-rescue.org/manual/PXE_network_booting: archisobasedir=sysresccd
 *   Fedora live                dracut.cmdline(7): root=live:<URL of the ISO>
 *   Fedora/RHEL installer      Anaconda boot options: inst.stage2=<tree with images/install.img>
 *   Windows / WinPE            ipxe.org/wimboot: bootmgr, BCD, boot.sdi, boot.wim
 * `{iso}` and `{tree}` in a command line are filled in by the menu renderer (library-menu.ts).
 */

/** memdisk copies the whole image into RAM below 4 GiB and is BIOS only (syslinux doc/memdisk.txt). */
export const MEMDISK_MAX_BYTES = 128 * 1024 * 1024;

class Files {
  private readonly byLower = new Map<string, IsoFileEntry>();
  constructor(entries: readonly IsoFileEntry[]) {
    for (const e of entries) this.byLower.set(e.path.toLowerCase(), e);
  }
  /** The ISO's own spelling of `path` (case-insensitive: plain ISO 9660 names are upper case). */
  get(path: string): string | undefined {
    return this.byLower.get(path.toLowerCase())?.path;
  }
  has(path: string): boolean {
    return this.byLower.has(path.toLowerCase());
  }
  /** First existing file of the candidates. */
  first(...paths: string[]): string | undefined {
    for (const p of paths) {
      const hit = this.get(p);
      if (hit && !this.byLower.get(p.toLowerCase())!.folder) return hit;
    }
    return undefined;
  }
  /** Files directly in `dir` whose name matches. */
  matching(dir: string, re: RegExp): string[] {
    const prefix = dir ? dir.toLowerCase() + '/' : '';
    return [...this.byLower.entries()]
      .filter(([k, e]) => !e.folder && k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .filter(([k]) => re.test(k.slice(prefix.length)))
      .map(([, e]) => e.path)
      .sort();
  }
}

interface Found {
  family: IsoFamily;
  label: string;
  plan?: Omit<BootPlan, 'method' | 'firmware'> & {
    method?: BootPlan['method'];
    firmware?: BootPlan['firmware'];
  };
  /** Why a direct plan is not offered (the ISO is then booted whole). */
  note?: string;
}

function extracted(
  kernel: string,
  initrds: string[],
  cmdline: string,
  more: string[],
  reason: string,
): Found['plan'] {
  return { kernel, initrds, cmdline, extract: [kernel, ...initrds, ...more], reason };
}

function liveBoot(
  f: Files,
  family: IsoFamily,
  label: string,
  args: string,
  reason: string,
): Found | undefined {
  const kernel = f.first('live/vmlinuz', ...f.matching('live', /^vmlinuz/));
  const initrd = f.first('live/initrd.img', ...f.matching('live', /^initrd/));
  const squash = f.first('live/filesystem.squashfs');
  if (!kernel || !initrd || !squash) return undefined;
  return {
    family,
    label,
    plan: extracted(kernel, [initrd], `${args} fetch={tree}/${squash}`, [squash], reason),
  };
}

function detect(f: Files, volumeId: string): Found {
  // Windows install media and WinPE: boot.wim booted by wimboot (ipxe.org/wimboot).
  const wim = f.first('sources/boot.wim');
  const bcd = f.first('boot/bcd');
  const sdi = f.first('boot/boot.sdi');
  if (wim && bcd && sdi) {
    const bootmgr = f.first('bootmgr');
    return {
      family: 'windows',
      label: 'Windows / WinPE',
      plan: {
        method: 'wimboot',
        initrds: [],
        cmdline: '',
        extract: [...(bootmgr ? [bootmgr] : []), bcd, sdi, wim],
        reason:
          'Windows boots from boot.wim through wimboot (BIOS and UEFI); put wimboot (ipxe.org/wimboot) in the boot root.',
      },
    };
  }
  const casperKernel = f.first('casper/vmlinuz', 'casper/vmlinuz.efi', ...f.matching('casper', /^vmlinuz/));
  const casperInitrd = f.first('casper/initrd', 'casper/initrd.gz', 'casper/initrd.lz', 'casper/initrd.img');
  if (casperKernel && casperInitrd) {
    return {
      family: 'ubuntu-casper',
      label: 'Ubuntu/Mint live (casper)',
      plan: extracted(
        casperKernel,
        [casperInitrd],
        'ip=dhcp url={iso} cloud-config-url=/dev/null',
        [],
        'Kernel and initrd are taken out once; casper then downloads the whole ISO into RAM (url=), so the machine needs more RAM than the ISO size.',
      ),
    };
  }
  const lb = (family: IsoFamily, label: string, args: string): Found | undefined =>
    liveBoot(
      f,
      family,
      label,
      args,
      'Kernel, initrd and the root filesystem are taken out once; live-boot downloads the filesystem over HTTP (fetch=) into RAM.',
    );
  if (f.has('Clonezilla-Live-Version') || /clonezilla/i.test(volumeId)) {
    const hit = lb(
      'clonezilla',
      'Clonezilla live',
      'boot=live union=overlay username=user config components noswap edd=on nomodeset ocs_live_run=ocs-live-general ocs_live_batch=no net.ifnames=0 nosplash',
    );
    if (hit) return hit;
  }
  if (f.has('GParted-Live-Version') || /gparted/i.test(volumeId)) {
    const hit = lb(
      'gparted',
      'GParted live',
      'boot=live config components union=overlay username=user noswap noeject vga=788',
    );
    if (hit) return hit;
  }
  const debLive = lb('debian-live', 'Debian live (live-boot)', 'boot=live components');
  if (debLive) return debLive;
  // SystemRescue is archiso with its own base dir.
  const srKernel = f.first('sysresccd/boot/x86_64/vmlinuz');
  const srInitrd = f.first('sysresccd/boot/x86_64/sysresccd.img');
  const srRoot = f.first('sysresccd/x86_64/airootfs.sfs');
  if (srKernel && srInitrd && srRoot) {
    const ucode = f.matching('sysresccd/boot', /ucode\.img$/);
    const sums = f.matching('sysresccd/x86_64', /^airootfs\.(sha512|sig)$/);
    return {
      family: 'systemrescue',
      label: 'SystemRescue (archiso)',
      plan: extracted(
        srKernel,
        [...ucode, srInitrd],
        'archisobasedir=sysresccd archiso_http_srv={tree}/ ip=dhcp',
        [srRoot, ...sums],
        'Kernel, initrd and airootfs.sfs are taken out once; the initrd downloads airootfs.sfs over HTTP (archiso_http_srv=).',
      ),
    };
  }
  const archKernel = f.first('arch/boot/x86_64/vmlinuz-linux');
  const archInitrd = f.first('arch/boot/x86_64/initramfs-linux.img');
  const archRoot = f.first('arch/x86_64/airootfs.sfs', 'arch/x86_64/airootfs.erofs');
  if (archKernel && archInitrd && archRoot) {
    const ucode = f.matching('arch/boot', /ucode\.img$/);
    const sums = f.matching('arch/x86_64', /^airootfs\.(sha512|sig|cms\.sig)$/);
    return {
      family: 'archiso',
      label: 'Arch Linux (archiso)',
      plan: extracted(
        archKernel,
        [...ucode, archInitrd],
        'archisobasedir=arch archiso_http_srv={tree}/ ip=dhcp',
        [archRoot, ...sums],
        'Kernel, initrd and the airootfs image are taken out once; the initrd downloads the root image over HTTP (archiso_http_srv=).',
      ),
    };
  }
  const pxeKernel = f.first('images/pxeboot/vmlinuz');
  const pxeInitrd = f.first('images/pxeboot/initrd.img');
  if (pxeKernel && pxeInitrd) {
    const liveOs = f.first('LiveOS/squashfs.img');
    if (liveOs) {
      return {
        family: 'fedora-live',
        label: 'Fedora/RHEL live (dracut)',
        plan: extracted(
          pxeKernel,
          [pxeInitrd],
          'root=live:{iso} rd.live.image ip=dhcp',
          [],
          'Kernel and initrd are taken out once; dracut downloads the ISO (root=live:) into RAM.',
        ),
      };
    }
    const installImg = f.first('images/install.img');
    if (installImg) {
      const treeinfo = f.first('.treeinfo');
      return {
        family: 'fedora-installer',
        label: 'Fedora/RHEL installer (Anaconda)',
        plan: extracted(
          pxeKernel,
          [pxeInitrd],
          'inst.stage2={tree} ip=dhcp',
          [installImg, ...(treeinfo ? [treeinfo] : [])],
          'Kernel, initrd and install.img are taken out once; Anaconda loads its stage 2 over HTTP (inst.stage2=). Packages come from the distribution’s online repositories.',
        ),
      };
    }
  }
  // Debian's mini.iso: the netboot installer, kernel and initrd at the top (d-i build/config/x86.cfg).
  const miniKernel = f.first('linux');
  const miniInitrd = f.first('initrd.gz');
  if (miniKernel && miniInitrd) {
    return {
      family: 'debian-installer',
      label: 'Debian installer (netboot mini.iso)',
      plan: extracted(
        miniKernel,
        [miniInitrd],
        '',
        [],
        'The netboot installer needs only its kernel and initrd (taken out once); it downloads everything else from a Debian mirror.',
      ),
    };
  }
  if (f.first('install.amd/vmlinuz') && f.first('install.amd/initrd.gz')) {
    return {
      family: 'debian-cd',
      label: 'Debian installer CD',
      note: 'The CD installer looks for its packages on the CD itself, so the whole ISO is mapped with sanboot; for a network install use the Debian netboot installer from the catalog.',
    };
  }
  if (f.first('boot/x86_64/loader/linux') && f.first('boot/x86_64/loader/initrd')) {
    return {
      family: 'opensuse',
      label: 'openSUSE',
      note: 'openSUSE’s installer needs a repository tree, not an ISO, over HTTP: the whole ISO is mapped with sanboot.',
    };
  }
  if (f.first('isolinux/isolinux.bin', 'isolinux.bin', 'boot/isolinux/isolinux.bin', 'syslinux/isolinux.bin'))
    return { family: 'isolinux', label: 'isolinux CD' };
  if (f.has('boot/grub')) return { family: 'grub', label: 'GRUB CD' };
  return { family: 'unknown', label: 'Unknown CD image' };
}

/** Decides the boot plans for one ISO (recommended first). */
export function inspectLayout(
  volume: IsoVolumeFacts,
  files: readonly IsoFileEntry[],
  size: number,
  hasEfiBootDir = new Files(files).has('efi/boot'),
): IsoInspection {
  const f = new Files(files);
  const bootsBios = volume.boot.some((b) => b.platform === 'bios');
  const bootsUefi =
    volume.boot.some((b) => b.platform === 'uefi') || (hasEfiBootDir && volume.boot.length > 0);
  const found = detect(f, volume.volumeId);
  const plans: BootPlan[] = [];
  if (found.plan) {
    plans.push({ method: 'extracted', firmware: 'both', ...found.plan });
  }
  const whole = found.note ? `${found.note} ` : '';
  if (bootsBios || bootsUefi) {
    const fw: BootPlan['firmware'] = bootsBios && bootsUefi ? 'both' : bootsBios ? 'bios' : 'uefi';
    plans.push({
      method: 'sanboot',
      firmware: fw,
      extract: [],
      initrds: [],
      cmdline: '',
      reason:
        whole +
        `iPXE maps the ISO over HTTP as a drive and boots it like a CD (${fw === 'both' ? 'BIOS and UEFI' : fw === 'bios' ? 'BIOS only: the ISO has no EFI boot image' : 'UEFI only: the ISO has no BIOS boot image'}). ` +
        'This works while the booted system reads the CD through the firmware (boot loaders, small tools); a Linux kernel that looks for a real CD drive will not find one.',
    });
  }
  if (bootsBios && size <= MEMDISK_MAX_BYTES) {
    plans.push({
      method: 'memdisk',
      firmware: 'bios',
      extract: [],
      initrds: [],
      cmdline: '',
      reason:
        'memdisk downloads the whole ISO into RAM and emulates a CD (BIOS only, images up to 128 MiB). Put memdisk (Debian package syslinux-common) in the boot root.',
    });
  }
  if (plans.length === 0) {
    plans.push({
      method: 'sanboot',
      firmware: 'both',
      extract: [],
      initrds: [],
      cmdline: '',
      reason:
        whole +
        'The ISO has no El Torito boot record, so it is not bootable as a CD; sanboot is offered but will most likely fail.',
    });
  }
  return {
    family: found.family,
    familyLabel: found.label,
    volumeId: volume.volumeId,
    bootsBios,
    bootsUefi,
    plans,
  };
}
