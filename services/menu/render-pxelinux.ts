import type { BootableEntry, Menu, MenuConfig, MenuEntry } from './model.js';
import { isBootable } from './model.js';
import { defaultEntryId, effectiveMenus, firmwareNeeds, isUrl } from './entry-facts.js';

/**
 * Renders the menu as a syslinux/pxelinux `pxelinux.cfg/default` for legacy BIOS setups (menu.c32, from
 * syslinux-common; doc/menu.txt and doc/syslinux.txt). Pure and deterministic. pxelinux is a BIOS program, so
 * UEFI-only entries are left out, and kinds pxelinux cannot boot (sanboot, wimboot, chain to an iPXE
 * script, shell) become a comment saying so. Paths are relative to pxelinux's path prefix (DHCP option 210;
 * the boot root when Bootlab serves it); full http:// URLs work with lpxelinux.0 only.
 */

export interface PxelinuxRenderOptions {
  detected?: readonly MenuEntry[];
  /** menu.c32 (text) or vesamenu.c32 (graphics). */
  ui?: 'menu.c32' | 'vesamenu.c32';
  /** Replaces `${base}` in command lines (iPXE expands it; pxelinux cannot). */
  httpBase?: string;
}

function text(input: string): string {
  return (
    input
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x1f\x7f^]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function path(p: string): string {
  if (isUrl(p)) return p.replace(/\s/g, '%20');
  return p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')
    .replace(/\s/g, '%20');
}

/** `MENU LABEL` with the hotkey marked by "^" before its first occurrence (menu.txt, "MENU LABEL"). */
function menuLabel(e: BootableEntry): string {
  const label = text(e.label);
  if (!e.key) return label;
  const i = label.toLowerCase().indexOf(e.key.toLowerCase());
  return i < 0 ? label : label.slice(0, i) + '^' + label.slice(i);
}

/** The body lines (after LABEL/MENU LABEL) that boot the entry, or a reason it cannot be booted here. */
function bootBody(e: BootableEntry, base: string | undefined): string[] | { skip: string } {
  switch (e.kind) {
    case 'linux':
      return linuxBody(e.kernel, e.initrds, e.cmdline, base);
    case 'iso':
      if (e.method === 'memdisk')
        return [`KERNEL ${path(e.memdisk)}`, `INITRD ${path(e.iso)}`, 'APPEND iso raw'];
      if (e.method === 'extracted' && e.kernel) return linuxBody(e.kernel, e.initrds, e.cmdline, base);
      return { skip: 'ISO by sanboot needs iPXE' };
    case 'binary':
      if (!e.bios) return { skip: 'EFI binary' };
      return [`KERNEL ${path(e.bios)}`, ...(e.args.trim() ? [`APPEND ${text(e.args)}`] : [])];
    case 'local':
      return ['LOCALBOOT 0'];
    case 'reboot':
      return ['COM32 reboot.c32'];
    case 'poweroff':
      return ['COM32 poweroff.c32'];
    case 'winpe':
      return { skip: 'WinPE (wimboot) needs iPXE' };
    case 'chain':
      return { skip: 'chaining a URL needs iPXE' };
    case 'shell':
      return { skip: 'the iPXE shell needs iPXE' };
    case 'pxelinux':
      return { skip: 'this is the pxelinux menu itself' };
    case 'submenu':
      return { skip: 'submenu' };
  }
}

function linuxBody(
  kernel: string,
  initrds: readonly string[],
  cmdline: string,
  base: string | undefined,
): string[] {
  const lines = [`KERNEL ${path(kernel)}`];
  if (initrds.length > 0) lines.push(`INITRD ${initrds.map(path).join(',')}`);
  const args = base ? cmdline.split('${base}').join(base.replace(/\/+$/, '')) : cmdline;
  if (args.trim()) lines.push(`APPEND ${text(args)}`);
  return lines;
}

function menuBody(
  menu: Menu,
  byId: Map<string, Menu>,
  stack: string[],
  indent: string,
  base?: string,
): string[] {
  const out: string[] = [];
  const def = defaultEntryId(menu);
  for (const e of menu.entries) {
    if (e.kind === 'separator') {
      out.push(`${indent}MENU SEPARATOR`);
      continue;
    }
    if (e.kind === 'header') {
      out.push(`${indent}LABEL ${e.id}`, `${indent}  MENU LABEL ${text(e.label)}`, `${indent}  MENU DISABLE`);
      continue;
    }
    if (!isBootable(e)) continue;
    if (!firmwareNeeds(e).bios) {
      out.push(`${indent}# ${e.id}: left out (UEFI only)`);
      continue;
    }
    if (e.kind === 'submenu') {
      const sub = byId.get(e.menu);
      if (!sub || stack.includes(sub.id)) {
        out.push(`${indent}# ${e.id}: left out (submenu ${e.menu} ${sub ? 'loops back' : 'does not exist'})`);
        continue;
      }
      out.push(
        `${indent}MENU BEGIN ${sub.id}`,
        `${indent}  MENU TITLE ${text(sub.title)}`,
        `${indent}  MENU LABEL ${menuLabel(e)}`,
      );
      if (e.password) out.push(`${indent}  MENU PASSWD ${e.password}`);
      out.push(...menuBody(sub, byId, [...stack, sub.id], indent + '  ', base));
      out.push(
        `${indent}  MENU SEPARATOR`,
        `${indent}  LABEL ${sub.id}-back`,
        `${indent}    MENU LABEL < Back`,
        `${indent}    MENU EXIT`,
      );
      out.push(`${indent}MENU END`);
      continue;
    }
    const body = bootBody(e, base);
    if (!Array.isArray(body)) {
      out.push(`${indent}# ${e.id}: left out (${body.skip})`);
      continue;
    }
    out.push(`${indent}LABEL ${e.id}`, `${indent}  MENU LABEL ${menuLabel(e)}`);
    if (e.id === def) out.push(`${indent}  MENU DEFAULT`);
    if (e.password) out.push(`${indent}  MENU PASSWD ${e.password}`);
    out.push(...body.map((l) => `${indent}  ${l}`));
  }
  return out;
}

export function renderPxelinuxConfig(config: MenuConfig, opts: PxelinuxRenderOptions = {}): string {
  const menus = effectiveMenus(config, opts.detected);
  const byId = new Map(menus.map((m) => [m.id, m]));
  const root = byId.get(config.root) ?? menus[0];
  const lines = ['# Bootlab pxelinux menu. Generated: edit the menu in Bootlab, not here.'];
  if (!root) return lines.join('\n') + '\n';
  const def = defaultEntryId(root);
  const defEntry = root.entries.find((e) => e.id === def);
  const defBootable =
    defEntry && isBootable(defEntry) && defEntry.kind !== 'submenu' && firmwareNeeds(defEntry).bios;
  lines.push(
    `UI ${opts.ui ?? 'menu.c32'}`,
    'PROMPT 0',
    // TIMEOUT is in tenths of a second; 0 waits for a key (syslinux.txt, "TIMEOUT").
    `TIMEOUT ${root.timeout * 10}`,
    ...(defBootable ? [`ONTIMEOUT ${def}`] : []),
    `MENU TITLE ${text(root.title)}`,
    '',
    ...menuBody(root, byId, [root.id], '', opts.httpBase),
  );
  return lines.join('\n') + '\n';
}
