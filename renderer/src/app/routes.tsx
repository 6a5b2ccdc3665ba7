import type { ComponentType } from 'react';
import { DashboardPage } from '../features/dashboard/dashboard-page';
import { ClientsPage } from '../features/clients/clients-page';
import { DhcpPage } from '../features/dhcp/dhcp-page';
import { MenuPage } from '../features/menu/menu-page';
import { LibraryPage } from '../features/library/library-page';
import { TestBootPage } from '../features/lab/test-boot-page';
import { BuilderPage } from '../features/builder/builder-page';
import { LogsPage } from '../features/logs/logs-page';
import { SettingsPage } from '../features/settings/settings-page';

export interface RouteDef {
  id: string;
  label: string;
  /** A one-glyph icon for the sidebar (no icon font: the UI must work offline). */
  icon: string;
  page: ComponentType;
}

export const ROUTES: readonly RouteDef[] = [
  { id: 'dashboard', label: 'Dashboard', icon: '◉', page: DashboardPage },
  { id: 'clients', label: 'Clients', icon: '▤', page: ClientsPage },
  { id: 'dhcp', label: 'DHCP', icon: '⇄', page: DhcpPage },
  { id: 'menu', label: 'Menu', icon: '☰', page: MenuPage },
  { id: 'library', label: 'Library', icon: '◫', page: LibraryPage },
  { id: 'test-boot', label: 'Test boot', icon: '▶', page: TestBootPage },
  { id: 'builder', label: 'Builder', icon: '⚒', page: BuilderPage },
  { id: 'logs', label: 'Logs', icon: '≣', page: LogsPage },
  { id: 'settings', label: 'Settings', icon: '⚙', page: SettingsPage },
];
