/**
 * The few native calls the Electron preload exposes as `window.bootlab` (electron/preload.cts). In a plain
 * browser it is absent, and the UI falls back to typing paths. Keep this in step with electron/preload.cts.
 */
export interface NativeBridge {
  pickFile(options?: {
    title?: string;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  pickFolder(options?: { title?: string }): Promise<string | null>;
  openExternal(url: string): Promise<boolean>;
}

export function nativeBridge(): NativeBridge | undefined {
  return (window as unknown as { bootlab?: NativeBridge }).bootlab;
}
