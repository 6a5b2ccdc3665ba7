import type { MenuConfig, MenuEntry } from './model.js';
import { isBootable } from './model.js';
import {
  defaultEntryId,
  effectiveMenus,
  firmwareNeeds,
  needsText,
  runsOn,
  type ClientFirmware,
} from './entry-facts.js';
import { ipxeText } from '../ipxe/script-text.js';

/**
 * What iPXE draws for a menu on one firmware, for the editor's text-mode preview. Follows the layout of
 * src/hci/tui/menu_ui.c: the title centred on row 1, items from row 3 in a box two columns narrower than
 * the screen, the highlighted item in reverse video, the seconds left shown at the right of it.
 */

export interface PreviewRow {
  kind: 'item' | 'gap' | 'unavailable';
  id?: string;
  text: string;
  key?: string;
  selected: boolean;
}

export interface MenuPreview {
  menuId: string;
  title: string;
  timeout: number;
  rows: PreviewRow[];
  /** 80×N plain text lines (the selected row marked with ">" since there is no reverse video). */
  lines: string[];
}

const COLS = 80;

function rowsFor(
  entries: readonly MenuEntry[],
  fw: ClientFirmware,
  mode: MenuConfig['unavailable'],
  def?: string,
): PreviewRow[] {
  const rows: PreviewRow[] = [];
  for (const e of entries) {
    if (e.kind === 'separator') rows.push({ kind: 'gap', text: '', selected: false });
    else if (e.kind === 'header') rows.push({ kind: 'gap', text: ipxeText(e.label), selected: false });
    else if (isBootable(e)) {
      const needs = firmwareNeeds(e);
      if (runsOn(needs, fw)) {
        rows.push({ kind: 'item', id: e.id, text: ipxeText(e.label), key: e.key, selected: e.id === def });
      } else if (mode === 'explain') {
        rows.push({
          kind: 'unavailable',
          id: e.id,
          text: `${ipxeText(e.label)} (${needsText(needs)})`,
          selected: false,
        });
      }
    }
  }
  if (!rows.some((r) => r.selected)) {
    const first = rows.find((r) => r.kind === 'item');
    if (first) first.selected = true;
  }
  return rows;
}

function centre(s: string): string {
  const t = s.slice(0, COLS);
  const left = Math.floor((COLS - t.length) / 2);
  return (' '.repeat(left) + t).padEnd(COLS);
}

export function previewMenu(
  config: MenuConfig,
  fw: ClientFirmware,
  opts: { menuId?: string; detected?: readonly MenuEntry[]; rows?: number } = {},
): MenuPreview {
  const menus = effectiveMenus(config, opts.detected);
  const menu = menus.find((m) => m.id === (opts.menuId ?? config.root)) ?? menus[0];
  if (!menu) return { menuId: '', title: '', timeout: 0, rows: [], lines: [] };
  const rows = rowsFor(menu.entries, fw, config.unavailable, defaultEntryId(menu));
  if (menu.id !== config.root)
    rows.push(
      { kind: 'gap', text: '', selected: false },
      { kind: 'item', id: `UP-${menu.id}`, text: '< Back', selected: false },
    );
  const height = opts.rows ?? 25;
  const lines: string[] = [' '.repeat(COLS), centre(ipxeText(menu.title)), ' '.repeat(COLS)];
  for (const row of rows) {
    const width = COLS - 2;
    let body = row.text.slice(0, width - 2);
    if (row.selected && menu.timeout > 0) {
      const t = ` (${menu.timeout})`;
      body = body.slice(0, width - 2 - t.length).padEnd(width - 2 - t.length) + t;
    }
    const mark = row.selected ? '>' : ' ';
    lines.push(` ${mark}${body.padEnd(width - 1)} `.slice(0, COLS).padEnd(COLS));
  }
  while (lines.length < height) lines.push(' '.repeat(COLS));
  return {
    menuId: menu.id,
    title: menu.title,
    timeout: menu.timeout,
    rows,
    lines: lines.slice(0, Math.max(height, 3 + rows.length)),
  };
}
