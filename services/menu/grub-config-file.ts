import { Readable } from 'node:stream';
import type { VirtualFile, VirtualFileProvider } from '../core/runtime.js';
import type { MenuConfig, MenuEntry } from './model.js';
import { renderGrubConfig } from './render-grub.js';

/**
 * Serves the GRUB config of Secure Boot machines (render-grub.ts) where Debian's signed GRUB network image
 * looks for it: `$prefix/grub.cfg` with prefix "/grub" on the TFTP (or HTTP) server it was loaded from.
 * `$prefix/x86_64-efi/grub.cfg` is not served, so GRUB's embedded config falls through to grub/grub.cfg.
 */
export const GRUB_CONFIG_PATH = 'grub/grub.cfg';

export function createGrubConfigProvider(deps: {
  getConfig: () => MenuConfig;
  getDetected?: () => readonly MenuEntry[];
  getHttpBase: () => string | null;
  /** Boot this entry at once (quick mode). */
  startEntry?: string;
  /** False while something else (quick mode) owns the boot menu: then its own provider answers. */
  active?: () => boolean;
}): VirtualFileProvider {
  return (path) => {
    if (path.replace(/^\/+/, '') !== GRUB_CONFIG_PATH) return undefined;
    if (deps.active && !deps.active()) return undefined;
    const text = Buffer.from(
      renderGrubConfig(deps.getConfig(), {
        httpBase: deps.getHttpBase(),
        detected: deps.getDetected?.(),
        startEntry: deps.startEntry,
      }),
      'utf8',
    );
    const file: VirtualFile = {
      size: text.length,
      mtime: new Date(),
      open: (range) => Readable.from([range ? text.subarray(range.start, range.end + 1) : text]),
    };
    return file;
  };
}
