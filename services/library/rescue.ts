import type { ConfigStore } from '../core/config-store.js';
import { BootlabError } from '../shared/errors.js';
import type { ServiceName } from '../shared/events.js';
import type { Supervisor } from '../core/supervisor.js';
import type { MenuManager } from '../menu/menu-manager.js';
import { isBootable, type MenuConfig, type MenuEntry } from '../menu/model.js';

/**
 * One-click rescue: the chosen tool becomes the root menu's default (a copy named "rescue" at the top,
 * 5-second timeout), DHCP is set to auto (Bootlab listens for another DHCP server first and runs in proxy
 * mode beside it, full mode alone; services/dhcp/probe.ts), and every service is (re)started so the new
 * mode and menu apply. The Dashboard then follows the first machine's boot through the live events.
 */

export const RESCUE_ENTRY_ID = 'rescue';
const ALL: ServiceName[] = ['syslog', 'http', 'tftp', 'dhcp'];

export function withRescueDefault(config: MenuConfig, entry: MenuEntry, label: string): MenuConfig {
  const copy = { ...entry, id: RESCUE_ENTRY_ID, label: `Rescue: ${label}`.slice(0, 200) } as MenuEntry;
  return {
    ...config,
    menus: config.menus.map((m) =>
      m.id === config.root
        ? {
            ...m,
            timeout: m.timeout === 0 || m.timeout > 5 ? 5 : m.timeout,
            default: RESCUE_ENTRY_ID,
            entries: [copy, ...m.entries.filter((e) => e.id !== RESCUE_ENTRY_ID)],
          }
        : m,
    ),
  };
}

export async function oneClickRescue(
  deps: { store: ConfigStore; supervisor: Supervisor; menu: MenuManager },
  entryId: string,
): Promise<{ entryId: string; label: string; dhcp: string; services: ReturnType<Supervisor['status']> }> {
  if (!deps.store.profile.interface) {
    throw new BootlabError(
      'BAD_REQUEST',
      'No network port is chosen, so Bootlab cannot serve the machines.',
      'Choose the port the machines are cabled to in Settings, then press Rescue again.',
    );
  }
  const served = deps.menu.served();
  const found =
    served.menus.flatMap((m) => m.entries).find((e) => e.id === entryId) ??
    deps.menu.detected.find((e) => e.id === entryId);
  if (!found || !isBootable(found) || found.kind === 'submenu') {
    throw new BootlabError(
      'NOT_FOUND',
      `There is no tool "${entryId}" in the menu or the library.`,
      'Pick a tool from the list.',
    );
  }
  const label = found.label.replace(/^Rescue: /, '');
  const menu = withRescueDefault(deps.store.profile.menu, found, label);
  await deps.store.setProfile({
    ...deps.store.profile,
    menu,
    dhcp: { ...deps.store.profile.dhcp, mode: 'auto' },
  });
  // Restart what runs (the DHCP mode and first-stage files apply at start), start the rest.
  for (const name of ALL) {
    if (deps.supervisor.state(name).state === 'running') await deps.supervisor.restart(name);
  }
  const services = await deps.supervisor.startAll(ALL);
  const dhcp = services.find((s) => s.service === 'dhcp');
  return {
    entryId: RESCUE_ENTRY_ID,
    label,
    dhcp: dhcp?.summary ?? dhcp?.error?.message ?? dhcp?.state ?? 'unknown',
    services,
  };
}
