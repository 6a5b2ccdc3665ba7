import type { Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { IPC, type PickFileOptions, type PickFolderOptions } from './ipc-channels.js';
import { isAllowedNavigation, isSafeExternalUrl } from './security.js';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  openExternal(url: string): Promise<void>;
  /** The UI's origin once the host is ready; calls from any other page are refused. */
  uiOrigin(): string | undefined;
}

/** Only frames showing our UI may call the native functions. */
export function fromUi(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  uiOrigin: string | undefined,
): boolean {
  const url = event.senderFrame?.url;
  return uiOrigin !== undefined && typeof url === 'string' && isAllowedNavigation(url, uiOrigin);
}

function title(options: unknown): string | undefined {
  const t = (options as { title?: unknown } | undefined)?.title;
  return typeof t === 'string' ? t.slice(0, 200) : undefined;
}

/** The main-process side of the preload's three calls. */
export function registerIpc(deps: IpcDeps): void {
  deps.ipcMain.handle(IPC.pickFile, async (event, options?: PickFileOptions) => {
    if (!fromUi(event, deps.uiOrigin())) return null;
    const filters = Array.isArray(options?.filters)
      ? options.filters.filter((f) => typeof f?.name === 'string' && Array.isArray(f.extensions))
      : undefined;
    const dialogOptions: OpenDialogOptions = { title: title(options), properties: ['openFile'], filters };
    const result = await deps.dialog.showOpenDialog(dialogOptions);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  deps.ipcMain.handle(IPC.pickFolder, async (event, options?: PickFolderOptions) => {
    if (!fromUi(event, deps.uiOrigin())) return null;
    const result = await deps.dialog.showOpenDialog({
      title: title(options),
      properties: ['openDirectory', 'createDirectory'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  deps.ipcMain.handle(IPC.openExternal, async (event, url: unknown) => {
    if (!fromUi(event, deps.uiOrigin()) || !isSafeExternalUrl(url)) return false;
    await deps.openExternal(url);
    return true;
  });
}
