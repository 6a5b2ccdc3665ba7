/**
 * IPC channel names between preload.cts and main. The sandboxed preload cannot require local files (and
 * is CommonJS while this is ESM), so it repeats these strings; test/unit/electron checks both agree.
 */
export const IPC = {
  pickFile: 'bootlab:pick-file',
  pickFolder: 'bootlab:pick-folder',
  openExternal: 'bootlab:open-external',
} as const;

export interface PickFileOptions {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
}

export interface PickFolderOptions {
  title?: string;
}

/** What the preload exposes as `window.bootlab` (renderer/src/native/native-bridge.ts mirrors it). */
export interface NativeBridge {
  pickFile(options?: PickFileOptions): Promise<string | null>;
  pickFolder(options?: PickFolderOptions): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
}
