/**
 * Electron entry (package.json "main": dist/electron/main.js, an ES module: Electron >= 28 loads ESM main
 * scripts). Only wiring: the real Electron modules and system facts go into runApp (app-controller.ts),
 * which holds the logic and is unit-tested with fakes.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, session, shell, Tray } from 'electron';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { runApp } from './app-controller.js';
import { hasBindCapability, type CapabilityDeps } from './capability.js';
import type { HttpResponseLike } from './control-client.js';
import { findOnPath } from './host-launcher.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const which = (name: string) => findOnPath(name, process.env, existsSync);

const capabilityDeps: CapabilityDeps = {
  which,
  exists: existsSync,
  run: (command, args) => {
    const out = spawnSync(command, args, { encoding: 'utf8' });
    return { status: out.status, stdout: out.stdout ?? '' };
  },
};

/** The tray pictures made by scripts/make-icons.ts: resources/tray in a package, build/icons/tray from source. */
const trayDir = () =>
  app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'build', 'icons', 'tray');

void runApp(
  {
    app,
    createWindow: (options) => new BrowserWindow(options),
    dialog,
    ipcMain,
    openExternal: (url) => shell.openExternal(url),
    defaultSession: () => session.defaultSession,
    desktop: {
      createTray: (iconPath) => {
        const tray = new Tray(iconPath);
        return {
          setImage: (path) => tray.setImage(path),
          setToolTip: (text) => tray.setToolTip(text),
          setContextMenu: (template) => tray.setContextMenu(Menu.buildFromTemplate(template)),
          on: (event, fn) => tray.on(event, fn),
          destroy: () => tray.destroy(),
        };
      },
      notify: Notification.isSupported()
        ? (title, body) => new Notification({ title, body, silent: true }).show()
        : undefined,
    },
  },
  {
    platform: process.platform,
    env: process.env,
    home: homedir(),
    execPath: process.execPath,
    preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    tempFile: (name) => join(tmpdir(), `${process.pid}-${name}`),
    readJson: (path) => {
      const text = readText(path);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    },
    privilegeFacts: (hostBinary) => ({
      platform: process.platform,
      uid: process.getuid?.(),
      unprivilegedPortStart: Number(readText('/proc/sys/net/ipv4/ip_unprivileged_port_start') ?? 1024),
      hasBindCapability:
        process.platform === 'linux' &&
        hasBindCapability(hostBinary ?? process.env.BOOTLAB_NODE ?? which('node'), capabilityDeps),
      darwinMajor: process.platform === 'darwin' ? Number(release().split('.')[0]) : undefined,
    }),
    exists: existsSync,
    realpath: (path) => {
      try {
        return realpathSync(path);
      } catch {
        return path;
      }
    },
    apiFetch: (url, init) => fetch(url, init) as Promise<HttpResponseLike>,
    openSocket: (url, protocols, headers) => new WebSocket(url, protocols, { headers }),
    trayIconPath: (status) => join(trayDir(), `tray-${status}.png`),
    which,
    spawn: (command, args, options) => spawn(command, args, options),
    readFile: readText,
    fetch: (url, init) => fetch(url, init),
  },
).catch((err: unknown) => {
  dialog.showErrorBox('Bootlab could not start', err instanceof Error ? err.message : String(err));
  app.quit();
});
