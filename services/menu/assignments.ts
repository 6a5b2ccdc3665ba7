import type { HostAssignment, MenuConfig, MenuEntry } from './model.js';
import { normalizeMac } from '../shared/address.js';
import { isBootable } from './model.js';
import { effectiveMenus } from './entry-facts.js';
import type { ScriptStart } from './render-ipxe.js';

/**
 * Per-host assignments by MAC: a host can get another menu, always boot one entry, or boot one entry on
 * its next boot only (then the menu again, or its local disk). Pure functions; the provider applies them
 * and the host persists what a next-boot assignment turns into once used.
 */

export interface HostStart {
  start: ScriptStart;
  assignment?: HostAssignment;
  /** True when this boot uses up a next-boot assignment. */
  consumesNextBoot: boolean;
  /** One line for the script header ("52:54:00:12:34:56: next boot only: winpe"). */
  note?: string;
}

export function findAssignment(config: MenuConfig, mac: string | undefined): HostAssignment | undefined {
  const m = normalizeMac(mac);
  if (!m) return undefined;
  return config.hosts.find((h) => h.mac === m);
}

/** Where the script for this client starts. Assignments naming a missing menu or entry are ignored. */
export function resolveHostStart(
  config: MenuConfig,
  mac: string | undefined,
  detected: readonly MenuEntry[] = [],
): HostStart {
  const root: ScriptStart = { type: 'menu', menu: config.root };
  const a = findAssignment(config, mac);
  if (!a) return { start: root, consumesNextBoot: false };
  const menus = effectiveMenus(config, detected);
  const entryExists = (id: string): boolean =>
    menus.some((m) => m.entries.some((e) => e.id === id && isBootable(e)));
  switch (a.action.type) {
    case 'menu':
      if (!menus.some((m) => m.id === (a.action as { menu: string }).menu)) {
        return {
          start: root,
          consumesNextBoot: false,
          note: `${a.mac}: assigned menu ${a.action.menu} does not exist`,
        };
      }
      return {
        start: { type: 'menu', menu: a.action.menu },
        assignment: a,
        consumesNextBoot: false,
        note: `${a.mac}: menu ${a.action.menu}`,
      };
    case 'entry':
      if (!entryExists(a.action.entry)) {
        return {
          start: root,
          consumesNextBoot: false,
          note: `${a.mac}: assigned entry ${a.action.entry} does not exist`,
        };
      }
      return {
        start: { type: 'entry', entry: a.action.entry },
        assignment: a,
        consumesNextBoot: false,
        note: `${a.mac}: always ${a.action.entry}`,
      };
    case 'next-boot':
      if (!entryExists(a.action.entry)) {
        return {
          start: root,
          consumesNextBoot: false,
          note: `${a.mac}: next-boot entry ${a.action.entry} does not exist`,
        };
      }
      return {
        start: { type: 'entry', entry: a.action.entry },
        assignment: a,
        consumesNextBoot: true,
        note: `${a.mac}: next boot only: ${a.action.entry}`,
      };
  }
}

/**
 * The configuration after a next-boot assignment for `mac` was used: removed (then "menu"), or turned into
 * "always boot the local disk entry" (then "local"; removed when the menus have no local-disk entry).
 * Unchanged when the host has no next-boot assignment.
 */
export function consumeNextBoot(
  config: MenuConfig,
  mac: string,
  detected: readonly MenuEntry[] = [],
): MenuConfig {
  const m = normalizeMac(mac);
  const a = findAssignment(config, m);
  if (!a || a.action.type !== 'next-boot') return config;
  const others = config.hosts.filter((h) => h !== a);
  if (a.action.then === 'local') {
    const local = effectiveMenus(config, detected)
      .flatMap((menu) => menu.entries)
      .find((e) => e.kind === 'local');
    if (local) {
      const next: HostAssignment = { ...a, action: { type: 'entry', entry: local.id } };
      return { ...config, hosts: config.hosts.map((h) => (h === a ? next : h)) };
    }
  }
  return { ...config, hosts: others };
}
