import type { BootableEntry, EntryOf } from './model.js';
import { firmwareNeeds, needsText, runsEverywhere, type FirmwareNeeds } from './entry-facts.js';
import { ipxeCmdline, ipxeText } from '../ipxe/script-text.js';
import { credentialLines, urlWithCredentials } from '../ipxe/credentials.js';
import { baseName, fileUrl, uniqueNames } from './ipxe-text.js';
import type { CheckinRenderer } from './checkin.js';

/**
 * The `:e-<id>` section of one entry: firmware guard, password, credentials, check-in, then the commands
 * that boot it. Every download ends in `|| goto bl-failed`, which explains and returns to the menu; a
 * command that should not return (boot, chain, sanboot) is followed by `goto bl-failed` as well, so the
 * script never ends up at a dead end. Labels in capitals are Bootlab's own (entry ids are lowercase).
 */

export interface EntryRenderContext {
  checkin: CheckinRenderer;
  /** Host of the boot server, for pxelinux's TFTP path prefix (option 210). */
  serverHost: string;
  /** The boot server's base URL (what `${base}` holds), for entries whose downloads need credentials. */
  base: string;
}

const FAIL = '|| goto bl-failed';

/** Lines that set `bl-ok` to 1 when the entry can run on this client, 0 when not (empty when it runs anywhere). */
export function availabilityLines(n: FirmwareNeeds): string[] {
  if (runsEverywhere(n)) return [];
  const lines = ['set bl-ok 1'];
  if (!n.bios) lines.push('iseq ${bl-fw} uefi || set bl-ok 0');
  if (!n.uefi) lines.push('iseq ${bl-fw} bios || set bl-ok 0');
  if (n.uefi && n.uefiArch) {
    lines.push('set bl-arch 0');
    for (const arch of n.uefiArch) lines.push(`iseq \${buildarch} ${arch} && set bl-arch 1 ||`);
    lines.push('iseq ${bl-fw} uefi && iseq ${bl-arch} 0 && set bl-ok 0 ||');
  }
  return lines;
}

function linuxLines(kernel: string, initrds: readonly string[], cmdline: string): string[] {
  const names = uniqueNames(initrds);
  // The EFI stub finds initrds by `initrd=<name>` on the command line; BIOS kernels ignore it.
  const args = [...names.map((n) => `initrd=${n}`), ipxeCmdline(cmdline)].filter(Boolean).join(' ');
  return [
    `kernel ${fileUrl(kernel)}${args ? ' ' + args : ''} ${FAIL}`,
    ...initrds.map((p, i) => `initrd --name ${names[i]} ${fileUrl(p)} ${FAIL}`),
    `boot ${FAIL}`,
    'goto bl-failed',
  ];
}

function isoLines(e: EntryOf<'iso'>): string[] {
  switch (e.method) {
    case 'sanboot':
      // sanboot over HTTP needs Range requests (src/net/tcp/httpblock.c); --no-describe: no iBFT for an ISO.
      return [`sanboot --no-describe ${fileUrl(e.iso)} ${FAIL}`, 'goto bl-failed'];
    case 'memdisk':
      return [
        `kernel ${fileUrl(e.memdisk)} iso raw ${FAIL}`,
        `initrd ${fileUrl(e.iso)} ${FAIL}`,
        `boot ${FAIL}`,
        'goto bl-failed',
      ];
    case 'extracted':
      if (!e.kernel)
        return [
          'echo This entry has no kernel set (the ISO method "extracted" needs one).',
          'goto bl-failed',
        ];
      return linuxLines(e.kernel, e.initrds, e.cmdline);
  }
}

function winpeLines(e: EntryOf<'winpe'>): string[] {
  // wimboot takes each file's name from its command line; --name keeps it for the EFI virtual disk too
  // (ipxe.org/wimboot).
  const files: { name: string; path: string }[] = [
    { name: 'BCD', path: e.bcd },
    { name: 'boot.sdi', path: e.bootSdi },
    { name: 'boot.wim', path: e.bootWim },
    ...e.extraFiles.map((f) => ({ name: f.name ?? baseName(f.path), path: f.path })),
  ];
  const args = ipxeCmdline(e.args);
  return [
    `kernel ${fileUrl(e.wimboot)}${args ? ' ' + args : ''} ${FAIL}`,
    ...files.map((f) => `initrd --name ${f.name} ${fileUrl(f.path)} ${f.name} ${FAIL}`),
    `boot ${FAIL}`,
    'goto bl-failed',
  ];
}

function binaryLines(e: EntryOf<'binary'>): string[] {
  const args = ipxeCmdline(e.args);
  const tail = args ? ' ' + args : '';
  // memtest86+ .bin uses the Linux boot protocol (bzImage) on BIOS; the .efi is a plain EFI application.
  const bios = e.bios ? [`kernel ${fileUrl(e.bios)}${tail} ${FAIL}`, `boot ${FAIL}`, 'goto bl-failed'] : [];
  const efi = e.efi ? [`chain ${fileUrl(e.efi)}${tail} ${FAIL}`, 'goto bl-failed'] : [];
  if (e.bios && e.efi)
    return [`iseq \${bl-fw} uefi && goto e-${e.id}-EFI ||`, ...bios, `:e-${e.id}-EFI`, ...efi];
  return e.efi ? efi : bios;
}

function bootLines(e: BootableEntry, ctx: EntryRenderContext): string[] {
  switch (e.kind) {
    case 'linux':
      return linuxLines(e.kernel, e.initrds, e.cmdline);
    case 'iso':
      return isoLines(e);
    case 'winpe':
      return winpeLines(e);
    case 'binary':
      return binaryLines(e);
    case 'chain':
      // A chained script may `exit` back to us: then show the menu again.
      return [`chain ${fileUrl(e.url)} ${FAIL}`, 'goto bl-return'];
    case 'pxelinux':
      // iPXE hands pxelinux a fake DHCPACK built from its settings (src/net/fakedhcp.c), so options
      // 209 (config file) and 210 (path prefix) set here reach it (PXELINUX doc, "DHCP options").
      return [
        `set 209:string ${fileUrl(e.config).replace('${base}/', '')}`,
        `set 210:string tftp://${ctx.serverHost}/`,
        `chain ${fileUrl(e.pxelinux)} ${FAIL}`,
        'goto bl-failed',
      ];
    case 'shell':
      return ['echo Type exit to go back to the menu.', 'shell ||', 'goto bl-return'];
    case 'local':
      // Leaving iPXE hands control back to the firmware, which tries the next boot device (the disk).
      return ['echo Booting from the local disk...', 'exit 0'];
    case 'reboot':
      return [`reboot ${FAIL}`, 'goto bl-failed'];
    case 'poweroff':
      return [`poweroff ${FAIL}`, 'goto bl-failed'];
    case 'submenu':
      return [`set bl-up-${e.menu} \${bl-menu}`, `goto m-${e.menu}`];
  }
}

/** Every download URL in a command line (`${base}/…` or an absolute http(s) URL) made to carry the credentials. */
function withCredentials(line: string, base: string): string {
  return line
    .split(' ')
    .map((word) => {
      if (word.startsWith('${base}/')) return urlWithCredentials(base) + word.slice('${base}'.length);
      return /^https?:\/\//.test(word) ? urlWithCredentials(word) : word;
    })
    .join(' ');
}

/** The full `:e-<id>` section for one bootable entry. */
export function entrySection(e: BootableEntry, ctx: EntryRenderContext): string[] {
  const lines = [`:e-${e.id}`, `set bl-id ${e.id}`, `set bl-label ${ipxeText(e.label)}`];
  const needs = firmwareNeeds(e);
  const avail = availabilityLines(needs);
  if (avail.length > 0) {
    lines.push(...avail, `set bl-need ${ipxeText(needsText(needs))}`, 'iseq ${bl-ok} 1 || goto bl-unusable');
  }
  if (e.password) {
    lines.push(
      'echo -n Password for ${bl-label}:',
      'set bl-pw',
      'read bl-pw || goto bl-return',
      `iseq \${bl-pw} ${e.password} || goto bl-denied`,
      'clear bl-pw',
    );
  }
  if (e.kind !== 'submenu') lines.push(...ctx.checkin('chosen', e.id));
  if (e.credentials) lines.push(...credentialLines(e.credentials));
  // iPXE sends HTTP credentials only when they are in the URL (src/net/tcp/httpbasic.c reads uri->user;
  // ipxe.org/cmd/login), so an entry with credentials downloads from base URLs that carry them.
  const boot = e.credentials ? bootLines(e, ctx).map((l) => withCredentials(l, ctx.base)) : bootLines(e, ctx);
  // The 'booting' check-in goes right before the command that hands over (all downloads done by then).
  for (const line of boot) {
    if (/^(boot|sanboot|chain|exit|reboot|poweroff) /.test(line)) lines.push(...ctx.checkin('booting', e.id));
    lines.push(line);
  }
  return lines;
}
