import { ControlClient, type FetchLike, type OpenSocket } from './control-client.js';
import { newMemory, toastsFor } from './notification-rules.js';
import { Notifier, DEFAULT_NOTIFIER, type NotifierOptions } from './notifier.js';
import { TrayController, type TrayLike, type TrayStatus } from './tray.js';

/**
 * The desktop-only parts that follow the running host: the tray and the notifications. Both read the
 * control API like the UI does (GET /api/services, GET /api/config, the live event feed), so nothing here
 * holds state of its own beyond what the API says.
 */
export interface DesktopDeps {
  origin: string;
  token: string;
  fetch: FetchLike;
  openSocket: OpenSocket;
  createTray(iconPath: string): TrayLike;
  trayIconPath(status: TrayStatus): string;
  /** A system notification; undefined when the OS has none (then nothing is shown). */
  notify?(title: string, body: string): void;
  openWindow(): void;
  quit(): void;
  report(title: string, message: string): void;
  now?(): number;
  notifierOptions?: NotifierOptions;
  /** How long the Settings switch is trusted before it is read again. */
  settingsTtlMs?: number;
}

export class DesktopSession {
  readonly client: ControlClient;
  readonly tray: TrayController;
  readonly notifier: Notifier;
  private notificationsOn = true;
  private settingsReadAt = -Infinity;
  private toldKeepsServing = false;
  private readonly memory = newMemory();
  private readonly now: () => number;

  constructor(private readonly deps: DesktopDeps) {
    this.now = deps.now ?? Date.now;
    this.client = new ControlClient(deps.origin, deps.token, deps.fetch);
    this.tray = new TrayController({
      createTray: deps.createTray,
      iconPath: deps.trayIconPath,
      client: this.client,
      open: deps.openWindow,
      quit: deps.quit,
      report: deps.report,
    });
    this.notifier = new Notifier(
      {
        show: (title, body) => deps.notify?.(title, body),
        enabled: () => this.notificationsOn && deps.notify !== undefined,
        now: this.now,
        setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
        clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      },
      deps.notifierOptions ?? DEFAULT_NOTIFIER,
    );
  }

  start(): void {
    this.tray.show();
    this.client.follow(
      this.deps.openSocket,
      (events) => {
        this.tray.onEvents(events);
        void this.readSettingsIfStale();
        this.notifier.push(toastsFor(events, this.memory));
      },
      () => {
        void this.tray.refresh();
        void this.readSettings();
      },
    );
    void this.tray.refresh();
    void this.readSettings();
  }

  /** Services that still serve machines when the window closes (the app then stays in the tray). */
  get serving(): boolean {
    return this.tray.status === 'running';
  }

  /**
   * The window was closed while services run: say once, per launch, that Bootlab goes on serving from the
   * tray (a notification, even with notifications switched off: it is about the app, not the machines).
   */
  windowClosedWhileServing(): void {
    if (this.toldKeepsServing) return;
    this.toldKeepsServing = true;
    this.deps.notify?.(
      'Bootlab keeps serving',
      'The boot services are still running. The tray icon (or starting Bootlab again) opens the window; Quit in the tray stops them.',
    );
  }

  stop(): void {
    this.notifier.dispose();
    this.client.close();
    this.tray.destroy();
  }

  private async readSettingsIfStale(): Promise<void> {
    if (this.now() - this.settingsReadAt < (this.deps.settingsTtlMs ?? 10_000)) return;
    await this.readSettings();
  }

  private async readSettings(): Promise<void> {
    this.settingsReadAt = this.now();
    try {
      this.notificationsOn = (await this.client.desktopSettings()).notifications;
    } catch {
      // Keep the last known value; the next batch of events reads it again.
      this.settingsReadAt = -Infinity;
    }
  }
}
