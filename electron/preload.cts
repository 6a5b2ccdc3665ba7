/**
 * The only bridge between the UI and the machine: three native calls, exposed as `window.bootlab`.
 * CommonJS on purpose: a sandboxed preload runs without ES modules and may require only a few built-in
 * modules ('electron' among them), so nothing local is required here. The channel names repeat those in
 * ipc-channels.ts (a unit test checks they match); the shape matches NativeBridge there and in
 * renderer/src/native/native-bridge.ts.
 */
// A sandboxed preload is CommonJS (see above); TypeScript's CJS import form keeps verbatimModuleSyntax happy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');

const CHANNELS = {
  pickFile: 'bootlab:pick-file',
  pickFolder: 'bootlab:pick-folder',
  openExternal: 'bootlab:open-external',
} as const;

interface Bridge {
  pickFile(options?: {
    title?: string;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  pickFolder(options?: { title?: string }): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
}

type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/** Only plain data crosses the bridge: keep the fields we know, drop everything else. */
function cleanTitle(options: { title?: unknown } | undefined): string | undefined {
  return typeof options?.title === 'string' ? options.title.slice(0, 200) : undefined;
}

function createBridge(invoke: Invoke): Bridge {
  return {
    async pickFile(options) {
      const filters = Array.isArray(options?.filters)
        ? options.filters
            .filter((f) => typeof f?.name === 'string' && Array.isArray(f.extensions))
            .map((f) => ({ name: f.name, extensions: f.extensions.filter((e) => typeof e === 'string') }))
        : undefined;
      const picked = await invoke(CHANNELS.pickFile, { title: cleanTitle(options), filters });
      return typeof picked === 'string' ? picked : null;
    },
    async pickFolder(options) {
      const picked = await invoke(CHANNELS.pickFolder, { title: cleanTitle(options) });
      return typeof picked === 'string' ? picked : null;
    },
    async openExternal(url) {
      // Checked here and again in main: only http(s) links leave the app.
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return false;
      return (await invoke(CHANNELS.openExternal, url)) === true;
    },
  };
}

electron.contextBridge.exposeInMainWorld(
  'bootlab',
  createBridge((channel, ...args) => electron.ipcRenderer.invoke(channel, ...args)),
);

export = { CHANNELS, createBridge };
