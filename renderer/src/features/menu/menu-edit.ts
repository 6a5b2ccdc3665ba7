import type {
  EntryKind,
  Menu,
  MenuConfig,
  MenuEntry,
  MenuEntryInput,
} from '../../../../services/api/contract-menu';

/**
 * Pure editing steps on a menu configuration (the editor's draft). Each returns a new object, so React
 * sees the change and undo is a matter of keeping the old value.
 */

export const KIND_LABELS: Record<EntryKind, string> = {
  linux: 'Linux kernel',
  iso: 'ISO image',
  winpe: 'Windows PE (wimboot)',
  binary: 'EFI / BIOS program',
  chain: 'Chain to URL',
  pxelinux: 'pxelinux (legacy)',
  shell: 'iPXE shell',
  local: 'Boot from local disk',
  reboot: 'Reboot',
  poweroff: 'Power off',
  submenu: 'Submenu',
  separator: 'Separator',
  header: 'Header',
};

export function allIds(config: MenuConfig): Set<string> {
  return new Set(config.menus.flatMap((m) => [m.id, ...m.entries.map((e) => e.id)]));
}

/** "memtest", "memtest-2", "memtest-3"… the first not yet used. */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+/, '')
      .slice(0, 40) || 'entry';
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

/** A new entry of a kind with sensible starting values (what the form shows first). */
export function newEntry(kind: EntryKind, id: string, firstMenuId?: string): MenuEntry {
  const base = { id, label: KIND_LABELS[kind], firmware: 'both' as const };
  const e: MenuEntryInput = (() => {
    switch (kind) {
      case 'linux':
        return { ...base, kind, kernel: 'vmlinuz', initrds: ['initrd.img'], cmdline: '' };
      case 'iso':
        return {
          ...base,
          kind,
          iso: 'image.iso',
          method: 'sanboot' as const,
          memdisk: 'memdisk',
          initrds: [],
          cmdline: '',
        };
      case 'winpe':
        return {
          ...base,
          kind,
          wimboot: 'wimboot',
          bcd: 'winpe/Boot/BCD',
          bootSdi: 'winpe/Boot/boot.sdi',
          bootWim: 'winpe/sources/boot.wim',
          extraFiles: [],
          args: '',
        };
      case 'binary':
        return { ...base, kind, efi: 'memtest64.efi', bios: 'memtest64.bin', args: '' };
      case 'chain':
        return { ...base, kind, url: 'http://boot.netboot.xyz/' };
      case 'pxelinux':
        return { ...base, kind, pxelinux: 'pxelinux.0', config: 'pxelinux.cfg/default' };
      case 'submenu':
        return { ...base, kind, menu: firstMenuId ?? 'main' };
      case 'separator':
        return { id, kind };
      case 'header':
        return { id, kind, label: 'Section' };
      default:
        return { ...base, kind };
    }
  })();
  return e as MenuEntry;
}

function mapMenu(config: MenuConfig, menuId: string, fn: (m: Menu) => Menu): MenuConfig {
  return { ...config, menus: config.menus.map((m) => (m.id === menuId ? fn(m) : m)) };
}

export function addEntry(config: MenuConfig, menuId: string, entry: MenuEntry, at?: number): MenuConfig {
  return mapMenu(config, menuId, (m) => {
    const entries = [...m.entries];
    entries.splice(at ?? entries.length, 0, entry);
    return { ...m, entries };
  });
}

export function updateEntry(config: MenuConfig, menuId: string, index: number, entry: MenuEntry): MenuConfig {
  return mapMenu(config, menuId, (m) => {
    const old = m.entries[index];
    const entries = m.entries.map((e, i) => (i === index ? entry : e));
    // Renaming the default entry keeps it the default.
    const def = old && m.default === old.id ? entry.id : m.default;
    return { ...m, entries, ...(def !== undefined ? { default: def } : {}) };
  });
}

export function removeEntry(config: MenuConfig, menuId: string, index: number): MenuConfig {
  return mapMenu(config, menuId, (m) => {
    const gone = m.entries[index];
    const entries = m.entries.filter((_, i) => i !== index);
    if (gone && m.default === gone.id) {
      const { default: _omit, ...rest } = m;
      return { ...rest, entries } as Menu;
    }
    return { ...m, entries };
  });
}

export function duplicateEntry(config: MenuConfig, menuId: string, index: number): MenuConfig {
  const menu = config.menus.find((m) => m.id === menuId);
  const e = menu?.entries[index];
  if (!e) return config;
  const copy = { ...structuredClone(e), id: uniqueId(e.id, allIds(config)) } as MenuEntry;
  if ('label' in copy && copy.kind !== 'header') copy.label = `${copy.label} (copy)`;
  return addEntry(config, menuId, copy, index + 1);
}

/** Moves the entry at `from` so that it ends up at index `to` (drag and drop, up/down buttons). */
export function moveEntry(config: MenuConfig, menuId: string, from: number, to: number): MenuConfig {
  return mapMenu(config, menuId, (m) => {
    if (from < 0 || from >= m.entries.length || to < 0 || to >= m.entries.length || from === to) return m;
    const entries = [...m.entries];
    const [item] = entries.splice(from, 1);
    entries.splice(to, 0, item!);
    return { ...m, entries };
  });
}

export function addMenu(config: MenuConfig, title: string): { config: MenuConfig; id: string } {
  const id = uniqueId(title, allIds(config));
  const menu: Menu = { id, title, timeout: 0, entries: [] };
  return { config: { ...config, menus: [...config.menus, menu] }, id };
}

export function removeMenu(config: MenuConfig, menuId: string): MenuConfig {
  if (menuId === config.root) return config;
  return { ...config, menus: config.menus.filter((m) => m.id !== menuId) };
}

export function updateMenu(
  config: MenuConfig,
  menuId: string,
  patch: Partial<Pick<Menu, 'title' | 'timeout' | 'default'>>,
): MenuConfig {
  return mapMenu(config, menuId, (m) => {
    const next = { ...m, ...patch };
    if (patch.default === undefined && 'default' in patch) delete next.default;
    return next;
  });
}

/** Reads an exported file or a bare menu from JSON text; throws with a readable message. */
export function parseImport(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`The file is not JSON (${(err as Error).message}). Choose a menu exported from Bootlab.`);
  }
}
