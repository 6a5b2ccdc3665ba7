import type { BrowserWindowConstructorOptions, Dialog, IpcMain, MessageBoxOptions, Session } from 'electron';
import { configPathIn, defaultDataDir } from './data-dir.js';
import {
  decideElevation,
  elevatedCommand,
  elevationPrompt,
  portsFromConfig,
  type LaunchCommand,
  type PrivilegeFacts,
} from './elevation.js';
import {
  hostArgs,
  hostCommand,
  HostStartError,
  launchHost,
  type HostHandle,
  type LaunchDeps,
} from './host-launcher.js';
import { registerIpc } from './ipc-handlers.js';
import { guardContents, secureSession, windowOptions } from './security.js';

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
  privilegeFacts(): PrivilegeFacts;
  which(name: string): string | undefined;
}

export interface AppState {
  host?: HostHandle;
  window?: WindowLike;
  uiOrigin?: string;
}

/** Button indexes of the elevation prompt. */
const ELEVATE = 0;
const WITHOUT = 1;

export async function runApp(e: ElectronApis, sys: SystemDeps): Promise<AppState> {
  const state: AppState = {};
  if (!e.app.requestSingleInstanceLock()) {
    // Another Bootlab window is open; it comes to the front (second-instance below) and we leave.
    e.app.quit();
    return state;
  }
  e.app.on('second-instance', () => {
    if (!state.window) return;
    if (state.window.isMinimized()) state.window.restore();
    state.window.focus();
  });
  e.app.on('window-all-closed', () => e.app.quit());
  // stopping: we asked the host to stop (its exit is expected); stopped: it is gone, quit for real.
  let stopping = false;
  let stopped = false;
  e.app.on('before-quit', (event: { preventDefault(): void }) => {
    if (stopped || !state.host) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void state.host.stop().finally(() => {
      stopped = true;
      e.app.quit();
    });
  });

  await e.app.whenReady();
  registerIpc({
    ipcMain: e.ipcMain,
    dialog: e.dialog,
    openExternal: e.openExternal,
    uiOrigin: () => state.uiOrigin,
  });

  const dataDir = sys.env.BOOTLAB_DATA_DIR ?? defaultDataDir(sys.platform, sys.env, sys.home);
  const base = hostCommand({
    platform: sys.platform,
    isPackaged: e.app.isPackaged,
    execPath: sys.execPath,
    env: sys.env,
    which: sys.which,
  });
  const plain: LaunchCommand = { command: base.command, args: hostArgs(e.app.getAppPath(), dataDir) };
  const decision = decideElevation(
    portsFromConfig(sys.readJson(configPathIn(dataDir))),
    sys.privilegeFacts(),
  );

  let command = plain;
  if (decision.elevate) {
    const words = elevationPrompt(decision, sys.platform);
    const { response } = await e.dialog.showMessageBox({
      type: 'warning',
      title: 'Administrator rights',
      message: words.message,
      detail: words.detail,
      buttons: ['Continue with administrator rights', 'Continue without', 'Quit'],
      defaultId: ELEVATE,
      cancelId: 2,
      noLink: true,
    });
    if (response !== ELEVATE && response !== WITHOUT) {
      e.app.quit();
      return state;
    }
    if (response === ELEVATE)
      command = elevatedCommand(sys.platform, plain, base.env, sys.tempFile('bootlab-host.log'));
  }

  const env = { ...sys.env, ...base.env };
  try {
    state.host = await launchHost(command, env, sys);
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
      if (response === 0) state.host = await launchOrExplain(e, plain, env, sys);
    } else {
      explain(e, err);
    }
  }
  if (!state.host) {
    e.app.quit();
    return state;
  }

  const { ready, child } = state.host;
  state.uiOrigin = ready.origin;
  child.on('exit', (code: number | null) => {
    if (stopping || stopped) return;
    e.dialog.showErrorBox(
      'Bootlab’s services stopped',
      `The services host ended unexpectedly (exit code ${code}). Start Bootlab again; if it keeps happening, run \`bootlab serve\` in a terminal to see why.`,
    );
    stopped = true;
    e.app.quit();
  });

  secureSession(e.defaultSession(), ready.origin);
  const win = e.createWindow(windowOptions(sys.preloadPath));
  state.window = win;
  guardContents(win.webContents, ready.origin, (url) => void e.openExternal(url));
  win.once('ready-to-show', () => win.show());
  await win.loadURL(ready.url);
  return state;
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
