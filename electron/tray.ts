import type { MenuItemConstructorOptions } from 'electron';
import type { ControlClient, LiveEvent, ServiceStateLite } from './control-client.js';

/**
 * The tray icon: one picture per overall state (stopped, running, failure; drawn by scripts/make-icons.ts),
 * a tooltip naming the services, and a menu with Open, Start all, Stop all and Quit. The state comes only
 * from the control API (GET /api/services, then `service.state` live events), the same source the UI reads.
 */
export type TrayStatus = 'stopped' | 'running' | 'failure';

/** A failure anywhere wins; otherwise running when any service runs (or is starting); else stopped. */
export function trayStatus(services: readonly ServiceStateLite[]): TrayStatus {
  if (services.some((s) => s.state === 'failed')) return 'failure';
  if (services.some((s) => s.state === 'running' || s.state === 'starting')) return 'running';
  return 'stopped';
}

const NAMES: Record<string, string> = { dhcp: 'DHCP', tftp: 'TFTP', http: 'HTTP', syslog: 'Syslog' };
const label = (s: ServiceStateLite) => NAMES[s.service] ?? s.service;

/** One line for the tooltip and the menu's first (disabled) item. */
export function trayTooltip(services: readonly ServiceStateLite[]): string {
  const status = trayStatus(services);
  if (status === 'failure') {
    const failed = services.filter((s) => s.state === 'failed');
    const first = failed[0]?.error?.message;
    return `Bootlab: ${failed.map(label).join(', ')} failed${first ? ` (${first})` : ''}. Open Bootlab to see what to do.`.slice(
      0,
      250,
    );
  }
  if (status === 'running') {
    const running = services.filter((s) => s.state === 'running' || s.state === 'starting');
    return `Bootlab: serving ${running.map(label).join(', ')}`;
  }
  return 'Bootlab: services stopped';
}

export interface TrayActions {
  open(): void;
  startAll(): void;
  stopAll(): void;
  quit(): void;
}

export function trayMenu(
  services: readonly ServiceStateLite[],
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const anyActive = services.some((s) => s.state !== 'stopped' && s.state !== 'failed');
  const allRunning = services.length > 0 && services.every((s) => s.state === 'running');
  return [
    { label: trayTooltip(services).replace(/^Bootlab: /, ''), enabled: false },
    { type: 'separator' },
    { label: 'Open Bootlab', click: () => actions.open() },
    { label: 'Start all services', enabled: !allRunning, click: () => actions.startAll() },
    { label: 'Stop all services', enabled: anyActive, click: () => actions.stopAll() },
    { type: 'separator' },
    { label: 'Quit Bootlab (stops the services)', click: () => actions.quit() },
  ];
}

export interface TrayLike {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: MenuItemConstructorOptions[]): void;
  on(event: 'click', fn: () => void): unknown;
  destroy(): void;
}

export interface TrayDeps {
  createTray(iconPath: string): TrayLike;
  /** Where the state pictures are (resources/tray in a package, build/icons/tray from source). */
  iconPath(status: TrayStatus): string;
  client: Pick<ControlClient, 'services' | 'startAll' | 'stopAll'>;
  open(): void;
  quit(): void;
  /** A Start all / Stop all that failed: said in the technician's words (a dialog in the app). */
  report(title: string, message: string): void;
}

export class TrayController {
  private readonly byName = new Map<string, ServiceStateLite>();
  private tray: TrayLike | undefined;
  private shown: TrayStatus | undefined;

  constructor(private readonly deps: TrayDeps) {}

  get status(): TrayStatus {
    return trayStatus(this.services);
  }

  get services(): ServiceStateLite[] {
    return [...this.byName.values()];
  }

  /** Creates the icon (stopped until the first state arrives). */
  show(): void {
    this.tray = this.deps.createTray(this.deps.iconPath('stopped'));
    this.shown = 'stopped';
    this.tray.on('click', () => this.deps.open());
    this.render();
  }

  /** Reads every service's state (at start and after the feed reconnects). */
  async refresh(): Promise<void> {
    try {
      this.setAll(await this.deps.client.services());
    } catch {
      // The host is restarting or gone: the next live event or reconnect refreshes again.
    }
  }

  setAll(services: readonly ServiceStateLite[]): void {
    this.byName.clear();
    for (const s of services) this.byName.set(s.service, s);
    this.render();
  }

  /** Live events: only `service.state` changes the tray. */
  onEvents(events: readonly LiveEvent[]): void {
    let changed = false;
    for (const event of events) {
      if (event.type !== 'service.state') continue;
      const s = event.payload as ServiceStateLite;
      if (typeof s?.service !== 'string' || typeof s.state !== 'string') continue;
      this.byName.set(s.service, s);
      changed = true;
    }
    if (changed) this.render();
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = undefined;
  }

  private render(): void {
    if (!this.tray) return;
    const status = this.status;
    if (status !== this.shown) {
      this.tray.setImage(this.deps.iconPath(status));
      this.shown = status;
    }
    const services = this.services;
    this.tray.setToolTip(trayTooltip(services));
    this.tray.setContextMenu(
      trayMenu(services, {
        open: () => this.deps.open(),
        quit: () => this.deps.quit(),
        startAll: () => void this.act('start', () => this.deps.client.startAll()),
        stopAll: () => void this.act('stop', () => this.deps.client.stopAll()),
      }),
    );
  }

  private async act(what: 'start' | 'stop', call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.deps.report(
        what === 'start' ? 'The services did not all start' : 'The services did not all stop',
        `${(err as Error).message} Open Bootlab to see each service's state and what to do.`,
      );
    }
    await this.refresh();
  }
}
