import type { BootableEntry, Menu, MenuConfig, MenuEntry } from './model.js';
import { isBootable } from './model.js';
import { defaultEntryId, effectiveMenus, firmwareNeeds, isUrl } from './entry-facts.js';

/**
 * Renders the menu as a GRUB config for Secure Boot machines (issue 16): the firmware runs Microsoft-signed
 * shim, shim runs Debian's signed GRUB network image (grubnetx64.efi.signed, served as grubx64.efi), and GRUB
 * reads `$prefix/grub.cfg` = `(tftp,<server>)/grub/grub.cfg` (its embedded config sources
 * `$prefix/x86_64-efi/grub.cfg` if present, else `$prefix/grub.cfg`; the image's prefix is "/grub").
 *
 * Under Secure Boot GRUB only starts kernels shim can verify (shim_lock: the distribution's key or a MOK), and
 * refuses to load modules. So only Linux entries (a signed distribution kernel) and the firmware actions
 * (local disk = exit, reboot, power off) can work; every other entry stays in the menu as an item that says
 * why it is not available here, instead of disappearing. Pure and deterministic.
 *
 * Files are fetched from GRUB's root device, the TFTP server it came from: boot-root paths work as they are;
 * `tftp://host/path` becomes `(tftp,host)/path`; `http://host/path` (port 80 only: GRUB 2.06 has no port in
 * its device syntax) becomes `(http,host)/path`. HTTPS and other ports are not available.
 */

export interface GrubRenderOptions {
  /** e.g. http://10.77.0.1:8080: `${base}` in command lines expands to it (set as a GRUB variable). */
  httpBase?: string | null;
  detected?: readonly MenuEntry[];
  /** Boot this entry at once (quick mode), like the iPXE script's `start: { type: 'entry' }`. */
  startEntry?: string;
  /** Show this menu instead of the root one (a host assigned to another menu). */
  startMenu?: string;
  /** Comment lines at the top (e.g. which host assignment applied). */
  notes?: string[];
}

/** Why an entry cannot run under Secure Boot + GRUB, or undefined when it can. */
export function grubUnavailableReason(entry: BootableEntry): string | undefined {
  const needs = firmwareNeeds(entry);
  if (!needs.uefi) return 'needs a BIOS machine';
  if (needs.uefiArch && !needs.uefiArch.includes('x86_64')) return `needs ${needs.uefiArch.join('/')} UEFI`;
  if (entry.password) return 'asks for a password, which only the iPXE menu can do';
  switch (entry.kind) {
    case 'linux':
      return filesProblem([entry.kernel, ...entry.initrds], !!entry.credentials);
    case 'iso':
      if (entry.method === 'extracted' && entry.kernel)
        return filesProblem([entry.kernel, ...entry.initrds], !!entry.credentials);
      return 'boots an ISO image through iPXE (sanboot), which Secure Boot refuses; extract its kernel instead';
    case 'winpe':
      return 'needs wimboot, which is not signed for Secure Boot';
    case 'binary':
      return 'runs an EFI program that is not known to be signed';
    case 'chain':
      return 'chains an iPXE script, and iPXE is not signed for Secure Boot';
    case 'pxelinux':
      return 'needs a BIOS machine';
    case 'shell':
      return 'opens the iPXE shell, and iPXE is not signed for Secure Boot';
    case 'local':
    case 'reboot':
    case 'poweroff':
    case 'submenu':
      return undefined;
  }
}

function filesProblem(paths: string[], credentials: boolean): string | undefined {
  if (credentials) return 'downloads with a user name and password, which GRUB cannot send';
  for (const p of paths)
    if (grubPath(p) === undefined) return `cannot fetch ${p} (GRUB fetches TFTP, or HTTP on port 80)`;
  return undefined;
}

/** A boot-root path or URL as a GRUB file name, or undefined when GRUB cannot fetch it. */
export function grubPath(p: string): string | undefined {
  if (!isUrl(p)) {
    const clean = p
      .replace(/\\/g, '/')
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .join('/');
    return `/${clean}`;
  }
  let u: URL;
  try {
    u = new URL(p);
  } catch {
    return undefined;
  }
  if (u.protocol === 'tftp:') return `(tftp,${u.hostname})${u.pathname}`;
  if (u.protocol === 'http:' && (u.port === '' || u.port === '80'))
    return `(http,${u.hostname})${u.pathname}`;
  return undefined;
}

/** A double-quoted GRUB string: `\`, `"` and `$` escaped (GRUB script syntax, "Quoting"). */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** One command-line word: plain when safe (so `${base}` still expands), else single-quoted. */
function word(w: string): string {
  if (/^[\w.,:/=+@%{}$-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

function cmdlineWords(cmdline: string): string {
  return cmdline.split(/\s+/).filter(Boolean).map(word).join(' ');
}

function entryBody(entry: BootableEntry, menus: readonly Menu[], depth: number): string[] {
  switch (entry.kind) {
    case 'linux':
    case 'iso': {
      const kernel = entry.kind === 'linux' ? entry.kernel : entry.kernel!;
      const lines = [`echo ${quoted(`Loading ${entry.label}...`)}`];
      lines.push(`linux ${grubPath(kernel)!} ${cmdlineWords(entry.cmdline)}`.trimEnd());
      if (entry.initrds.length > 0) lines.push(`initrd ${entry.initrds.map((p) => grubPath(p)!).join(' ')}`);
      return lines;
    }
    case 'local':
      // Back to the firmware, which tries its next boot option (the local disk).
      return ['exit'];
    case 'reboot':
      return ['reboot'];
    case 'poweroff':
      return ['halt'];
    case 'submenu': {
      const sub = menus.find((m) => m.id === entry.menu);
      return sub && depth < 4
        ? menuLines(sub, menus, depth + 1)
        : ['echo "This menu does not exist."', 'sleep 5'];
    }
    default:
      return [];
  }
}

function entryLines(entry: MenuEntry, menus: readonly Menu[], depth: number): string[] {
  if (entry.kind === 'separator') return [];
  if (entry.kind === 'header') return [`# ${entry.label}`];
  const why = grubUnavailableReason(entry);
  const id = `--id ${entry.id}`;
  if (why) {
    // Listed, not hidden: the technician sees the entry exists and why it does not work on this machine.
    return [
      `menuentry ${quoted(`${entry.label} (not available with Secure Boot)`)} ${id} {`,
      `  echo ${quoted(`${entry.label}: not available with Secure Boot: it ${why}.`)}`,
      '  echo "Boot this machine with Secure Boot off (or take it off the Secure Boot list) to use it."',
      '  sleep 15',
      '}',
    ];
  }
  if (entry.kind === 'submenu') {
    const body = entryBody(entry, menus, depth);
    return [`submenu ${quoted(entry.label)} ${id} {`, ...body.map((l) => `  ${l}`), '}'];
  }
  return [
    `menuentry ${quoted(entry.label)} ${id} {`,
    ...entryBody(entry, menus, depth).map((l) => `  ${l}`),
    '}',
  ];
}

function menuLines(menu: Menu, menus: readonly Menu[], depth: number, startEntry?: string): string[] {
  const lines: string[] = [];
  const def = startEntry ?? defaultEntryId(menu);
  const defEntry = menu.entries.find((e) => e.id === def);
  // A default GRUB could not boot would wait 15 s on its explanation: start the first that works instead.
  const usable = (e: MenuEntry): boolean => isBootable(e) && grubUnavailableReason(e) === undefined;
  const start = defEntry && usable(defEntry) ? defEntry : menu.entries.find(usable);
  if (start) lines.push(`set default=${quoted(start.id)}`);
  // Bootlab's timeout 0 waits for a key (GRUB: -1); a start entry boots at once (GRUB: 0).
  const boot = startEntry !== undefined && start?.id === startEntry;
  lines.push(`set timeout=${boot ? 0 : menu.timeout === 0 ? -1 : menu.timeout}`);
  for (const e of menu.entries) lines.push(...entryLines(e, menus, depth));
  return lines;
}

export function renderGrubConfig(config: MenuConfig, opts: GrubRenderOptions = {}): string {
  const menus = effectiveMenus(config, opts.detected);
  // The menu shown: the one holding the start entry, else the assigned menu, else the root menu.
  const root =
    (opts.startEntry ? menus.find((m) => m.entries.some((e) => e.id === opts.startEntry)) : undefined) ??
    (opts.startMenu ? menus.find((m) => m.id === opts.startMenu) : undefined) ??
    menus.find((m) => m.id === config.root) ??
    menus[0];
  const lines = [
    '# Bootlab boot menu for Secure Boot machines (shim -> GRUB). Generated: edit the menu in Bootlab, not here.',
    '# Only entries GRUB can start under Secure Boot work; the others say why they are not available.',
    ...(opts.notes ?? []).map((n) => `# ${n.replace(/[\r\n]/g, ' ')}`),
  ];
  if (opts.httpBase) lines.push(`set base=${quoted(opts.httpBase.replace(/\/+$/, ''))}`);
  lines.push(`set menu_color_normal=white/black`);
  if (root) {
    lines.push(`# menu: ${root.title.replace(/[\r\n]/g, ' ')}`);
    const start =
      opts.startEntry && root.entries.some((e) => e.id === opts.startEntry) ? opts.startEntry : undefined;
    lines.push(...menuLines(root, menus, 0, start));
  }
  return `${lines.join('\n')}\n`;
}
