import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { runApp, type ElectronApis, type SystemDeps } from '../../../electron/app-controller.js';
import type { PrivilegeFacts } from '../../../electron/elevation.js';

/** A stand-in services host: prints the ready line as soon as it is spawned. */
class FakeChild extends EventEmitter {
  stdout = new PassThrough();
  stderr = new PassThrough();
  stdin = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  killed: string[] = [];
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    this.killed.push(signal);
    if (this.exitCode === null) {
      this.signalCode = signal;
      setImmediate(() => this.emit('exit', null, signal));
    }
    return true;
  }
}

function harness(
  opts: {
    lock?: boolean;
    facts?: Partial<PrivilegeFacts>;
    /** The button chosen in each dialog, in order (the last one repeats). */
    answer?: number | number[];
    config?: unknown;
    /** Exit code of `pkexec setcap …`; 0 grants the capability. */
    setcapExit?: number;
  } = {},
) {
  const answers = Array.isArray(opts.answer) ? [...opts.answer] : [opts.answer ?? 0];
  let granted = false;
  const appEvents = new EventEmitter();
  const log: string[] = [];
  const spawned: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv }[] = [];
  const children: FakeChild[] = [];
  const windows: {
    options: unknown;
    loaded: string[];
    shown: boolean;
    contents: EventEmitter & { setWindowOpenHandler(fn: unknown): void };
  }[] = [];
  const boxes: { message?: string; detail?: string; buttons?: string[] }[] = [];
  let cspInstalled = false;

  const electron: ElectronApis = {
    app: {
      requestSingleInstanceLock: () => opts.lock ?? true,
      on: (event, fn) => appEvents.on(event, fn as (...args: unknown[]) => void),
      whenReady: async () => {},
      quit: () => {
        log.push('quit');
        const event = {
          defaultPrevented: false,
          preventDefault() {
            this.defaultPrevented = true;
          },
        };
        appEvents.emit('before-quit', event);
      },
      getAppPath: () => '/opt/bootlab',
      isPackaged: false,
    },
    createWindow: (options) => {
      const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => {} });
      const w = { options, loaded: [] as string[], shown: false, contents };
      windows.push(w);
      return {
        webContents: contents as never,
        loadURL: async (url) => void w.loaded.push(url),
        once: (_e, fn) => setImmediate(fn),
        show: () => (w.shown = true),
        focus: () => log.push('focus'),
        isMinimized: () => true,
        restore: () => log.push('restore'),
      };
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showErrorBox: (title, content) => log.push(`error: ${title}: ${content}`),
      showMessageBox: async (o) => {
        boxes.push(o);
        return { response: answers.length > 1 ? answers.shift()! : answers[0]! };
      },
    } as ElectronApis['dialog'],
    ipcMain: { handle: () => {} } as never,
    openExternal: async () => {},
    defaultSession: () =>
      ({
        webRequest: { onHeadersReceived: () => (cspInstalled = true) },
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
      }) as never,
  };
  const fetched: string[] = [];
  const sys: SystemDeps = {
    platform: 'linux',
    env: { PATH: '/usr/bin', XDG_DATA_HOME: '/home/tech/.data' },
    home: '/home/tech',
    execPath: '/opt/bootlab/bootlab',
    preloadPath: '/opt/bootlab/dist/electron/preload.cjs',
    tempFile: (name) => `/tmp/${name}`,
    readJson: (path) => (log.push(`read ${path}`), opts.config),
    privilegeFacts: () => ({
      platform: 'linux',
      uid: 1000,
      unprivilegedPortStart: 1024,
      hasBindCapability: granted,
      ...opts.facts,
    }),
    which: (name) => (name === 'setcap' ? '/usr/bin/setcap' : '/usr/bin/node'),
    spawn: (command, args, options) => {
      spawned.push({ command, args, env: options.env ?? {} });
      const child = new FakeChild();
      if (args.includes('cap_net_bind_service+ep')) {
        // pkexec setcap: ends at once with the configured exit code.
        const code = opts.setcapExit ?? 0;
        if (code === 0) granted = true;
        setImmediate(() => child.emit('exit', code, null));
        return child as unknown as ChildProcess;
      }
      children.push(child);
      setImmediate(() => child.stdout.write('Bootlab ready: http://127.0.0.1:45678/#token=secret\n'));
      return child as unknown as ChildProcess;
    },
    readFile: () => undefined,
    fetch: async (url) => void fetched.push(url),
  };
  return {
    electron,
    sys,
    appEvents,
    log,
    spawned,
    children,
    windows,
    boxes,
    fetched,
    csp: () => cspInstalled,
  };
}

test('a second instance leaves at once (the first one comes to the front)', async () => {
  const h = harness({ lock: false });
  await runApp(h.electron, h.sys);
  assert.deepEqual(h.log, ['quit']);
  assert.equal(h.spawned.length, 0);
});

test('with allowed ports: starts the host unelevated, then opens the secured window on its URL', async () => {
  const config = {
    profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
  };
  const h = harness({ config });
  const state = await runApp(h.electron, h.sys);
  assert.equal(h.boxes.length, 0, 'no elevation prompt');
  assert.ok(h.log.includes('read /home/tech/.data/bootlab/config.json'));
  assert.deepEqual(h.spawned[0]!.command, '/usr/bin/node');
  assert.deepEqual(h.spawned[0]!.args, [
    '/opt/bootlab/dist/services/cli.js',
    'serve',
    '--data-dir',
    '/home/tech/.data/bootlab',
  ]);
  assert.equal(state.uiOrigin, 'http://127.0.0.1:45678');
  assert.equal(h.windows.length, 1);
  const prefs = (h.windows[0]!.options as { webPreferences: Record<string, unknown> }).webPreferences;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.preload, '/opt/bootlab/dist/electron/preload.cjs');
  assert.deepEqual(h.windows[0]!.loaded, ['http://127.0.0.1:45678/#token=secret']);
  assert.ok(h.csp(), 'CSP header hook installed');
  assert.ok(h.windows[0]!.contents.listenerCount('will-navigate') > 0, 'navigation guard installed');

  h.appEvents.emit('second-instance');
  assert.deepEqual(h.log.slice(-2), ['restore', 'focus']);

  // Quitting stops the host first (API shutdown, then signals), then really quits.
  h.electron.app.quit();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(h.fetched, ['http://127.0.0.1:45678/api/shutdown']);
  assert.ok(h.children[0]!.killed.includes('SIGTERM'));
  assert.equal(h.log.filter((l) => l === 'quit').length, 2);
  assert.ok(!h.log.some((l) => l.startsWith('error:')), 'a host stopped on purpose is no error');
});

const GRANT_BUTTONS = ['Grant once', 'Run services as administrator this time', 'Continue without', 'Quit'];

test('first Start on Linux with privileged ports: offers setcap once (exact command), then runs unelevated', async () => {
  const h = harness({ answer: 0 });
  await runApp(h.electron, h.sys);
  assert.equal(h.boxes.length, 1);
  assert.match(h.boxes[0]!.detail!, /DHCP port 67, TFTP port 69, SYSLOG port 514/);
  assert.deepEqual(h.boxes[0]!.buttons, GRANT_BUTTONS);
  assert.ok(
    h.boxes[0]!.detail!.includes('\npkexec /usr/bin/setcap cap_net_bind_service+ep /usr/bin/node\n'),
    h.boxes[0]!.detail,
  );
  assert.deepEqual(h.spawned[0], {
    command: 'pkexec',
    args: ['/usr/bin/setcap', 'cap_net_bind_service+ep', '/usr/bin/node'],
    env: {},
  });
  assert.equal(h.spawned[1]!.command, '/usr/bin/node', 'the host itself runs as the user');
  assert.equal(h.windows.length, 1);
});

test('a refused setcap prompt offers administrator rights this time; then the host runs through pkexec', async () => {
  const h = harness({ answer: [0, 0], setcapExit: 126 });
  await runApp(h.electron, h.sys);
  assert.equal(h.boxes.length, 2);
  assert.match(h.boxes[1]!.detail!, /password prompt was cancelled or refused/);
  assert.equal(h.spawned[1]!.command, 'pkexec');
  assert.deepEqual(h.spawned[1]!.args.slice(0, 3), [
    '/usr/bin/env',
    '/usr/bin/node',
    '/opt/bootlab/dist/services/cli.js',
  ]);
  assert.equal(h.windows.length, 1);
});

test('“Run services as administrator this time” skips setcap and runs the host through pkexec', async () => {
  const h = harness({ answer: 1 });
  await runApp(h.electron, h.sys);
  assert.equal(h.spawned.length, 1);
  assert.equal(h.spawned[0]!.command, 'pkexec');
  assert.equal(h.spawned[0]!.args[0], '/usr/bin/env');
});

test('an AppImage cannot carry the right: the plain administrator prompt, saying why', async () => {
  const h = harness({ answer: 0 });
  h.sys.env.APPIMAGE = '/home/tech/Bootlab.AppImage';
  await runApp(h.electron, h.sys);
  assert.deepEqual(h.boxes[0]!.buttons, ['Continue with administrator rights', 'Continue without', 'Quit']);
  assert.match(h.boxes[0]!.detail!, /AppImage/);
  assert.equal(h.spawned[0]!.command, 'pkexec');
  assert.equal(h.spawned[0]!.args[0], '/usr/bin/env');
});

test('packaged: the host is Electron’s binary as Node, run from app.asar.unpacked', async () => {
  const h = harness({
    config: {
      profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
    },
  });
  (h.electron.app as { isPackaged: boolean }).isPackaged = true;
  h.electron.app.getAppPath = () => '/opt/Bootlab/resources/app.asar';
  h.sys.execPath = '/opt/Bootlab/bootlab';
  await runApp(h.electron, h.sys);
  assert.equal(h.spawned[0]!.command, '/opt/Bootlab/bootlab');
  assert.equal(h.spawned[0]!.env.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(h.spawned[0]!.args[0], '/opt/Bootlab/resources/app.asar.unpacked/dist/services/cli.js');
});

test('closing the window while services run keeps serving and says so once; with nothing running it quits', async () => {
  for (const running of [true, false]) {
    const h = harness({
      config: {
        profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
      },
    });
    const toasts: string[] = [];
    const trayImages: string[] = [];
    h.electron.desktop = {
      createTray: (image) => {
        trayImages.push(image);
        return {
          setImage: (p) => trayImages.push(p),
          setToolTip: () => {},
          setContextMenu: () => {},
          on: () => {},
          destroy: () => {},
        };
      },
      notify: (title) => toasts.push(title),
    };
    h.sys.apiFetch = async (url) => ({
      ok: true,
      status: 200,
      json: async () =>
        url.endsWith('/api/services')
          ? { services: [{ service: 'tftp', state: running ? 'running' : 'stopped' }] }
          : { profile: { desktop: { notifications: true } } },
    });
    h.sys.openSocket = () => Object.assign(new EventEmitter(), { close() {} }) as never;
    h.sys.trayIconPath = (s) => `/icons/tray-${s}.png`;
    const state = await runApp(h.electron, h.sys);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(trayImages.at(-1), running ? '/icons/tray-running.png' : '/icons/tray-stopped.png');
    h.appEvents.emit('window-all-closed');
    h.appEvents.emit('window-all-closed');
    if (running) {
      assert.ok(!h.log.includes('quit'), 'still serving');
      assert.deepEqual(toasts, ['Bootlab keeps serving']);
      // Open from the tray (or a second launch) brings a new window on the same URL.
      state.window = undefined;
      h.appEvents.emit('second-instance');
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(h.windows.length, 2);
      assert.deepEqual(h.windows[1]!.loaded, ['http://127.0.0.1:45678/#token=secret']);
    } else {
      assert.ok(h.log.includes('quit'));
      assert.deepEqual(toasts, []);
    }
    h.electron.app.quit();
    await new Promise((r) => setTimeout(r, 20));
  }
});

test('setcap not installed: the administrator prompt says how to get it; /usr/sbin is searched off PATH', async () => {
  const h = harness({ answer: 1 });
  h.sys.which = (name) => (name === 'setcap' ? undefined : '/usr/bin/node');
  await runApp(h.electron, h.sys);
  assert.deepEqual(h.boxes[0]!.buttons, ['Continue with administrator rights', 'Continue without', 'Quit']);
  assert.match(
    h.boxes[0]!.detail!,
    /setcap is not installed \(Debian\/Ubuntu: sudo apt install libcap2-bin\)/,
  );

  const found = harness({ answer: 3 });
  found.sys.which = (name) => (name === 'setcap' ? undefined : '/usr/bin/node');
  found.sys.exists = (path) => path === '/usr/sbin/setcap';
  await runApp(found.electron, found.sys);
  assert.match(
    found.boxes[0]!.detail!,
    /\npkexec \/usr\/sbin\/setcap cap_net_bind_service\+ep \/usr\/bin\/node\n/,
  );
});

test('“Continue without” starts unelevated; “Quit” starts nothing', async () => {
  const without = harness({ answer: 2 });
  await runApp(without.electron, without.sys);
  assert.equal(without.spawned[0]!.command, '/usr/bin/node');

  const quit = harness({ answer: 3 });
  await runApp(quit.electron, quit.sys);
  assert.equal(quit.spawned.length, 0);
  assert.equal(quit.windows.length, 0);
  assert.ok(quit.log.includes('quit'));
});

test('root needs no prompt', async () => {
  const h = harness({ facts: { uid: 0 } });
  await runApp(h.electron, h.sys);
  assert.equal(h.boxes.length, 0);
  assert.equal(h.spawned[0]!.command, '/usr/bin/node');
});

test('a host that dies later is reported and the app quits', async () => {
  const h = harness({
    config: {
      profiles: { default: { dhcp: { mode: 'off' }, tftp: { port: 16969 }, syslog: { port: 15514 } } },
    },
  });
  await runApp(h.electron, h.sys);
  h.children[0]!.exitCode = 3;
  h.children[0]!.emit('exit', 3, null);
  assert.ok(
    h.log.some((l) => l.startsWith('error: Bootlab’s services stopped') && l.includes('exit code 3')),
  );
  assert.ok(h.log.includes('quit'));
});
