import type { Menu, MenuConfig, MenuEntry } from './model.js';

/**
 * Menus other parts of Bootlab add without editing the stored menu (the boot library's ISOs): entries
 * appended to the root menu and whole menus of their own. Merged only when a menu is served, previewed or
 * validated, never saved. An id the user already uses wins over a contributed one, so a user's own entry
 * replaces a contributed entry of the same id. Pure (the renderer may show the same merge).
 */

export interface MenuContribution {
  rootEntries: MenuEntry[];
  menus: Menu[];
}

export interface MenuContributor {
  contribution(): MenuContribution;
  /** Virtual files the contributed entries point at (for the editor's file checks). */
  hasFile?(path: string): boolean;
}

export function withContributions(config: MenuConfig, contributors: readonly MenuContributor[]): MenuConfig {
  if (contributors.length === 0) return config;
  const used = new Set<string>(config.menus.map((m) => m.id));
  for (const m of config.menus) for (const e of m.entries) used.add(e.id);
  const extraMenus: Menu[] = [];
  const rootAdd: MenuEntry[] = [];
  for (const c of contributors) {
    const { rootEntries, menus } = c.contribution();
    for (const m of menus) {
      if (used.has(m.id)) continue;
      const entries = m.entries.filter((e) => !used.has(e.id));
      entries.forEach((e) => used.add(e.id));
      used.add(m.id);
      extraMenus.push({ ...m, entries });
    }
    for (const e of rootEntries) {
      if (used.has(e.id)) continue;
      used.add(e.id);
      rootAdd.push(e);
    }
  }
  if (extraMenus.length === 0 && rootAdd.length === 0) return config;
  return {
    ...config,
    menus: [
      ...config.menus.map((m) => (m.id === config.root ? { ...m, entries: [...m.entries, ...rootAdd] } : m)),
      ...extraMenus,
    ],
  };
}
