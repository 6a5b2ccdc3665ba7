import type { Menu, MenuConfig, MenuEntry } from './model.js';
import { isBootable } from './model.js';
import { defaultEntryId, effectiveMenus, firmwareNeeds, needsText, runsEverywhere } from './entry-facts.js';
import { availabilityLines, entrySection } from './ipxe-entries.js';
import { ipxeArgText, ipxeText } from '../ipxe/script-text.js';
import { defaultCheckin, type CheckinRenderer } from './checkin.js';

/**
 * Renders the menu configuration to one iPXE script. Pure and deterministic: the same inputs give the same
 * bytes. Layout:
 *   header (base URL, firmware detection) → `goto` the start (a menu, or one entry for a host assignment)
 *   `:m-<menu>` sections: `menu` / `item` / `choose` (hidden or greyed-out items per firmware)
 *   `:e-<entry>` sections: the commands that boot the entry, each download `|| goto bl-failed`
 *   `:bl-failed`, `:bl-unusable`, `:bl-denied`, `:bl-return`, `:bl-escape`: the ways back to the menu.
 * Menus (hci/commands/dynui_cmd.c) are destroyed by `choose`, so each visit rebuilds its menu; a menu's
 * timeout applies only to its first showing, so a failed default boot does not loop.
 */

export type ScriptStart = { type: 'menu'; menu: string } | { type: 'entry'; entry: string };

export interface IpxeRenderOptions {
  /** e.g. http://10.77.0.1:8080 (no trailing slash). */
  httpBase: string;
  /** Rescue tools found on this system, added to the root menu when config.autoRescue is on. */
  detected?: readonly MenuEntry[];
  /** Where the script begins; the root menu by default. */
  start?: ScriptStart;
  checkin?: CheckinRenderer;
  /** Comment lines at the top (e.g. "host 52:54:00:12:34:56: next boot winpe"). */
  notes?: string[];
}

function hostOf(httpBase: string): string {
  try {
    return new URL(httpBase).hostname;
  } catch {
    return '${next-server}';
  }
}

function menuItemLines(entry: MenuEntry, mode: MenuConfig['unavailable']): string[] {
  if (entry.kind === 'separator') return ['item --gap'];
  if (entry.kind === 'header') return [`item --gap -- ${ipxeText(entry.label)}`];
  const key = entry.key ? `--key ${entry.key.toLowerCase()} ` : '';
  const text = ipxeText(entry.label);
  const item = `item ${key}${entry.id} ${text}`;
  const needs = firmwareNeeds(entry);
  const avail = availabilityLines(needs);
  if (avail.length === 0) return [item];
  const otherwise = mode === 'explain' ? ` item --gap -- ${text} (${ipxeText(needsText(needs))})` : '';
  return [...avail, `iseq \${bl-ok} 1 && ${item} ||${otherwise}`];
}

function menuSection(menu: Menu, config: MenuConfig, startMenu: string): string[] {
  const lines = [`:m-${menu.id}`, `set bl-menu m-${menu.id}`];
  lines.push(`menu ${ipxeArgText(menu.title)}`);
  const def = defaultEntryId(menu);
  for (const entry of menu.entries) lines.push(...menuItemLines(entry, config.unavailable));
  if (menu.id !== startMenu) lines.push('item --gap', `item UP-${menu.id} < Back`);
  // The timeout counts only the first time this menu is shown (choose --timeout 0 waits for a key).
  lines.push(
    menu.timeout === 0
      ? 'set bl-to 0'
      : `isset \${bl-seen-${menu.id}} && set bl-to 0 || set bl-to ${menu.timeout * 1000}`,
  );
  lines.push(`set bl-seen-${menu.id} 1`);
  const esc = menu.id === startMenu ? 'bl-escape' : `UP-${menu.id}`;
  // A default that cannot run here would highlight a greyed-out line: fall back to one that runs anywhere.
  const defEntry = menu.entries.find((e) => e.id === def);
  const fallback = menu.entries.find((e) => isBootable(e) && runsEverywhere(firmwareNeeds(e)));
  let defOpt = def ? `--default ${def} ` : '';
  if (defEntry && isBootable(defEntry) && fallback && !runsEverywhere(firmwareNeeds(defEntry))) {
    lines.push(
      `set bl-def ${fallback.id}`,
      ...availabilityLines(firmwareNeeds(defEntry)),
      `iseq \${bl-ok} 1 && set bl-def ${def} ||`,
    );
    defOpt = '--default ${bl-def} ';
  }
  lines.push(
    `choose ${defOpt}--timeout \${bl-to} bl-choice || goto ${menu.id === startMenu ? esc : 'e-' + esc}`,
  );
  lines.push('goto e-${bl-choice}');
  if (menu.id !== startMenu) lines.push(`:e-UP-${menu.id}`, `goto \${bl-up-${menu.id}}`);
  return lines;
}

function tailSections(startLabel: string, checkin: CheckinRenderer, credentials: boolean): string[] {
  const forget = credentials ? ['clear username ||', 'clear password ||'] : [];
  return [
    ':bl-failed',
    'echo',
    'echo Could not boot ${bl-label}. The reason is shown above.',
    ...checkin('failed', '${bl-id}'),
    'prompt --timeout 30000 Press any key to go back to the menu... ||',
    'goto bl-return',
    ':bl-unusable',
    'echo ${bl-label} cannot run on this machine: it needs ${bl-need}, this is ${platform} ${buildarch}.',
    'prompt --timeout 30000 Press any key to go back to the menu... ||',
    'goto bl-return',
    ':bl-denied',
    'clear bl-pw',
    'echo Wrong password.',
    'prompt --timeout 5000 Press any key to go back to the menu... ||',
    'goto bl-return',
    ':bl-escape',
    'echo Menu closed. Type exit to open it again.',
    'shell ||',
    ':bl-return',
    ...forget,
    `isset \${bl-menu} || set bl-menu ${startLabel}`,
    'goto ${bl-menu}',
  ];
}

export function renderIpxeScript(config: MenuConfig, opts: IpxeRenderOptions): string {
  const menus = effectiveMenus(config, opts.detected);
  const checkin = opts.checkin ?? defaultCheckin;
  const start = opts.start ?? { type: 'menu', menu: config.root };
  const startMenu =
    start.type === 'menu' && menus.some((m) => m.id === start.menu) ? start.menu : config.root;
  const base = opts.httpBase.replace(/\/+$/, '');
  const entries = menus.flatMap((m) => m.entries).filter(isBootable);
  const credentials = entries.some((e) => e.credentials);

  const lines = ['#!ipxe', '# Bootlab boot menu. Generated: edit the menu in Bootlab, not here.'];
  for (const note of opts.notes ?? []) lines.push(`# ${ipxeText(note)}`);
  lines.push(
    `set base ${base}`,
    // ${platform} is pcbios or efi (also linux, sbi); ${buildarch} is i386, x86_64, arm64... (ipxe.org/cfg).
    'set bl-fw bios',
    'iseq ${platform} efi && set bl-fw uefi ||',
    'clear bl-menu',
  );
  for (const m of menus) if (m.id !== startMenu) lines.push(`set bl-up-${m.id} m-${startMenu}`);
  lines.push(...checkin('menu', undefined));
  if (start.type === 'entry' && entries.some((e) => e.id === start.entry)) {
    lines.push(`set bl-menu m-${startMenu}`, `goto e-${start.entry}`);
  } else {
    lines.push(`goto m-${startMenu}`);
  }
  const ctx = { checkin, serverHost: hostOf(base), base };
  for (const menu of menus) {
    lines.push('');
    lines.push(...menuSection(menu, config, startMenu));
  }
  for (const entry of entries) {
    lines.push('');
    lines.push(...entrySection(entry, ctx));
  }
  lines.push('');
  lines.push(...tailSections(`m-${startMenu}`, checkin, credentials));
  return lines.join('\n') + '\n';
}
