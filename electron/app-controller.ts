import type { BrowserWindowConstructorOptions, Dialog, IpcMain, MessageBoxOptions, Session } from 'electron';
import type { FetchLike, OpenSocket } from './control-client.js';
import { configPathIn, defaultDataDir } from './data-dir.js';
import { DesktopSession } from './desktop-session.js';
import {
  decideElevation,
  elevatedCommand,
  portsFromConfig,
  type LaunchCommand,
  type PrivilegeFacts,
} from './elevation.js';
import { choosePrivileges } from './first-run.js';
import {
  hostArgs,
  hostCommand,
  hostScriptRoot,
  HostStartError,
  launchHost,
  type HostHandle,
  type LaunchDeps,
} from './host-launcher.js';
import { registerIpc } from './ipc-handlers.js';
import { askBeforeLosingEdits, guardContents, secureSession, windowOptions } from './security.js';
import type { TrayLike, TrayStatus } from './tray.js';

/**
 * The app's lifecycle: one instance, start the services host (elevated only when its ports need it, after
 * asking), open one window on the UI, stop the host on quit. Electron and the system come in as
 * parameters so unit tests drive it with fakes; main.cts passes the real ones.
 */

export interface WindowLike {
  webContents: Parameters<typeof guardContents>[0];
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  /** 'closed': the window is gone (a new one opens from the tray). Optional for older fakes. */
  on?(event: 'closed', listener: () => void): unknown;
  /** Closes without running the page's beforeunload (after the person chose to discard edits). */
  destroy?(): void;
}

export interface ElectronApis {
  app: {
    requestSingleInstanceLock(): boolean;
    on(event: string, listener: (...args: never[]) => void): unknown;
    whenReady(): Promise<void>;
    quit(): void;
    getAppPath(): string;
    isPackaged: boolean;
  };
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  dialog: Pick<Dialog, 'showOpenDialog' | 'showErrorBox'> & {
    showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  };
  ipcMain: Pick<IpcMain, 'handle'>;
  openExternal(url: string): Promise<void>;
  defaultSession(): Parameters<typeof secureSession>[0] & Partial<Session>;
  /** Tray and notifications (main.ts passes Electron's Tray, Menu and Notification). */
  desktop?: {
    createTray(iconPath: string): TrayLike;
    /** Undefined when the system has no notifications (Notification.isSupported() is false). */
    notify?(title: string, body: string): void;
  };
}

export interface SystemDeps extends LaunchDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  /** Where preload.cjs is (beside the compiled main). */
  preloadPath: string;
  tempFile(name: string): string;
  readJson(path: string): unknown;
  /** Facts for the binary that will run the host (Linux: whether it has cap_net_bind_service). */
  privilegeFacts(hostBinary?: string): PrivilegeFacts;
  which(name: string): string | undefined;
  exists?(path: string): boolean;
  /** Resolves symlinks (setcap needs the real file); identity when absent. */
  realpath?(path: string): string;
  /** For the tray and notifications: the control API over HTTP and its live feed. */
  apiFetch?: FetchLike;
  openSocket?: OpenSocket;
  /** The tray's state pictures (tray-<state>.png). */
  trayIconPath?(status: TrayStatus): string;
}

export interface AppState {
  host?: HostHandle;
  window?: WindowLike;
  uiOrigin?: string;
  desktop?: DesktopSession;
  /** Opens the window on the UI, or brings the open one to the front. */
  openWindow?(): Promise<void>;
}

/** stopping: we asked the host to stop (its exit is expected); stopped: it is gone, quit for real. */
interface QuitFlags {
  stopping: boolean;
  stopped: boolean;
}

/** The desktop app, step by step: one instance, app events, host command, host, window, tray. */
export async function runApp(e: ElectronApis, sys: SystemDeps): Promise<AppState> {
  const state: AppState = {};
  if (!e.app.requestSingleInstanceLock()) {
    // Another Bootlab window is open; it comes to the front (second-instance below) and we leave.
    e.app.quit();
    return state;
  }
  const flags: QuitFlags = { stopping: false, stopped: false };
  handleAppEvents(e, state, flags);

  await e.app.whenReady();
  registerIpc({
    ipcMain: e.ipcMain,
    dialog: e.dialog,
    openExternal: e.openExternal,
    uiOrigin: () => state.uiOrigin,
  });

  const launch = await chooseHostCommand(e, sys);
  if (launch === 'quit') {
    e.app.quit();
    return state;
  }
  state.host = await startHost(e, sys, launch);
  if (!state.host) {
    e.app.quit();
    return state;
  }

  const { ready } = state.host;
  state.uiOrigin = ready.origin;
  quitWhenHostDies(e, state.host, flags);
  secureSession(e.defaultSession(), ready.origin);
  state.openWindow = windowOpener(e, sys, state, ready);
  startDesktop(e, sys, state, ready);
  await state.openWindow();
  return state;
}

/** Second instance → this window to the front; closing the window keeps serving; quit stops the host. */
function handleAppEvents(e: ElectronApis, state: AppState, flags: QuitFlags): void {
  e.app.on('second-instance', () => {
    if (!state.window) return void state.openWindow?.();
    if (state.window.isMinimized()) state.window.restore();
    state.window.focus();
  });
  // Closing the window while services run keeps them serving (the tray stays, and says so once).
  e.app.on('window-all-closed', () => {
    if (state.desktop?.serving && !flags.stopping) {
      state.desktop.windowClosedWhileServing();
      return;
    }
    e.app.quit();
  });
  e.app.on('before-quit', (event: { preventDefault(): void }) => {
    if (flags.stopped || !state.host) return;
    event.preventDefault();
    if (flags.stopping) return;
    flags.stopping = true;
    state.desktop?.stop();
    void state.host.stop().finally(() => {
      flags.stopped = true;
      e.app.quit();
    });
  });
}

interface HostLaunch {
  command: LaunchCommand;
  /** The same host without elevation (the fallback when elevation fails). */
  plain: LaunchCommand;
  env: NodeJS.ProcessEnv;
}

/** How to run the services host: plain, or elevated when the configured ports need it and the user agrees. */
async function chooseHostCommand(e: ElectronApis, sys: SystemDeps): Promise<HostLaunch | 'quit'> {
  const dataDir = sys.env.BOOTLAB_DATA_DIR ?? defaultDataDir(sys.platform, sys.env, sys.home);
  const base = hostCommand({
    platform: sys.platform,
    isPackaged: e.app.isPackaged,
    execPath: sys.execPath,
    env: sys.env,
    which: sys.which,
  });
  const plain: LaunchCommand = {
    command: base.command,
    args: hostArgs(hostScriptRoot(e.app.getAppPath(), e.app.isPackaged), dataDir),
  };
  const env = { ...sys.env, ...base.env };
  const hostBinary = sys.realpath ? sys.realpath(base.command) : base.command;
  const decision = decideElevation(
    portsFromConfig(sys.readJson(configPathIn(dataDir))),
    sys.privilegeFacts(hostBinary),
  );
  if (!decision.elevate) return { command: plain, plain, env };
  const choice = await choosePrivileges(decision, hostBinary, {
    platform: sys.platform,
    env: sys.env,
    showMessageBox: (o) => e.dialog.showMessageBox(o),
    spawn: sys.spawn,
    hasBindCapability: (binary) => sys.privilegeFacts(binary).hasBindCapability === true,
    which: sys.which,
    exists: (path) => sys.exists?.(path) ?? false,
  });
  if (choice === 'quit') return 'quit';
  const command =
    choice === 'elevated'
      ? elevatedCommand(sys.platform, plain, base.env, sys.tempFile('bootlab-host.log'))
      : plain;
  return { command, plain, env };
}

/** Starts the host; an elevated start that fails offers to start without administrator rights. */
async function startHost(
  e: ElectronApis,
  sys: SystemDeps,
  launch: HostLaunch,
): Promise<HostHandle | undefined> {
  const { command, plain, env } = launch;
  try {
    return await launchHost(command, env, sys);
  } catch (err) {
    if (command !== plain && err instanceof HostStartError) {
      const { response } = await e.dialog.showMessageBox({
        type: 'question',
        title: 'Administrator rights',
        message: err.message,
        detail:
          'Start Bootlab without them? The services on ports below 1024 will show an error with what to do.',
        buttons: ['Start without', 'Quit'],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      });
      if (response === 0) return await launchOrExplain(e, plain, env, sys);
    } else {
      explain(e, err);
    }
    return undefined;
  }
}

/** A host that ends while we did not ask it to: say so and quit. */
function quitWhenHostDies(e: ElectronApis, host: HostHandle, flags: QuitFlags): void {
  host.child.on('exit', (code: number | null) => {
    if (flags.stopping || flags.stopped) return;
    e.dialog.showErrorBox(
      'Bootlab’s services stopped',
      `The services host ended unexpectedly (exit code ${code}). Start Bootlab again; if it keeps happening, run \`bootlab serve\` in a terminal to see why.`,
    );
    flags.stopped = true;
    e.app.quit();
  });
}

/** Opens the window on the UI (guarded, asks before losing edits), or brings the open one to the front. */
function windowOpener(
  e: ElectronApis,
  sys: SystemDeps,
  state: AppState,
  ready: HostHandle['ready'],
): () => Promise<void> {
  return async () => {
    if (state.window) {
      if (state.window.isMinimized()) state.window.restore();
      state.window.show();
      state.window.focus();
      return;
    }
    const win = e.createWindow(windowOptions(sys.preloadPath));
    state.window = win;
    win.on?.('closed', () => {
      if (state.window === win) state.window = undefined;
    });
    guardContents(win.webContents, ready.origin, (url) => void e.openExternal(url));
    if ('on' in win.webContents) {
      askBeforeLosingEdits(
        win.webContents,
        async () =>
          (
            await e.dialog.showMessageBox({
              type: 'question',
              buttons: ['Stay and save', 'Close without saving'],
              defaultId: 0,
              cancelId: 0,
              title: 'Unsaved changes',
              message: 'This page has changes that are not saved yet.',
              detail: 'Stay to save them (Save on the page), or close and lose them.',
            })
          ).response === 1,
        () => win.destroy?.(),
      );
    }
    win.once('ready-to-show', () => win.show());
    await win.loadURL(ready.url);
  };
}

/** Tray and notifications, when Electron and the system provide them (not in every test). */
function startDesktop(e: ElectronApis, sys: SystemDeps, state: AppState, ready: HostHandle['ready']): void {
  if (!e.desktop || !sys.apiFetch || !sys.openSocket || !sys.trayIconPath) return;
  try {
    state.desktop = new DesktopSession({
      origin: ready.origin,
      token: ready.token,
      fetch: sys.apiFetch,
      openSocket: sys.openSocket,
      createTray: e.desktop.createTray,
      trayIconPath: sys.trayIconPath,
      notify: e.desktop.notify,
      openWindow: () => void state.openWindow?.(),
      quit: () => e.app.quit(),
      report: (title, message) => e.dialog.showErrorBox(title, message),
    });
    state.desktop.start();
  } catch (err) {
    // No tray on this desktop (some Linux sessions): the window still works; closing it then quits.
    state.desktop = undefined;
    console.warn(`Bootlab: no tray icon (${(err as Error).message}); closing the window will quit.`);
  }
}

async function launchOrExplain(e: ElectronApis, cmd: LaunchCommand, env: NodeJS.ProcessEnv, sys: SystemDeps) {
  try {
    return await launchHost(cmd, env, sys);
  } catch (err) {
    explain(e, err);
    return undefined;
  }
}

function explain(e: ElectronApis, err: unknown): void {
  const output = err instanceof HostStartError && err.output ? `\n\nWhat it said:\n${err.output}` : '';
  e.dialog.showErrorBox('Bootlab could not start', `${(err as Error).message}${output}`);
}
