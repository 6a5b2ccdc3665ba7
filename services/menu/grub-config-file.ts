import { Readable } from 'node:stream';
import type { VirtualFile, VirtualFileProvider } from '../core/runtime.js';
import type { MenuConfig, MenuEntry } from './model.js';
import { renderGrubConfig } from './render-grub.js';
import { resolveHostStart } from './assignments.js';

/**
 * Serves the GRUB config of Secure Boot machines (render-grub.ts) where Debian's signed GRUB network image
 * looks for it: `$prefix/grub.cfg` with prefix "/grub" on the TFTP (or HTTP) server it was loaded from.
 * `$prefix/x86_64-efi/grub.cfg` is not served, so GRUB's embedded config falls through to grub/grub.cfg.
 */
export const GRUB_CONFIG_PATH = 'grub/grub.cfg';

/**
 * A host assignment applied to the GRUB config: another menu, or one entry booted at once. A next-boot
 * assignment is not applied: it is used up by iPXE's check-in, which GRUB cannot send, so GRUB machines
 * keep the menu rather than boot the same entry forever.
 */
export function grubHostStart(
  config: MenuConfig,
  mac: string | undefined,
  detected: readonly MenuEntry[] = [],
): { menu?: string; entry?: string; note?: string } | undefined {
  const host = resolveHostStart(config, mac, detected);
  const a = host.assignment;
  if (!a) return host.note ? { note: host.note } : undefined;
  if (a.action.type === 'next-boot')
    return { note: `${a.mac}: next-boot assignment not applied (GRUB cannot report it used)` };
  return host.start.type === 'menu'
    ? { menu: host.start.menu, note: host.note }
    : { entry: host.start.entry, note: host.note };
}

export function createGrubConfigProvider(deps: {
  getConfig: () => MenuConfig;
  getDetected?: () => readonly MenuEntry[];
  getHttpBase: () => string | null;
  /** Boot this entry at once (quick mode). */
  startEntry?: string;
  /** Per-client start (host assignments by MAC): the client's address in, menu or entry out. */
  startFor?: (client: { address: string }) => { menu?: string; entry?: string; note?: string } | undefined;
  /** False while something else (quick mode) owns the boot menu: then its own provider answers. */
  active?: () => boolean;
}): VirtualFileProvider {
  return (path, client) => {
    if (path.replace(/^\/+/, '') !== GRUB_CONFIG_PATH) return undefined;
    if (deps.active && !deps.active()) return undefined;
    const start = deps.startFor?.(client);
    const text = Buffer.from(
      renderGrubConfig(deps.getConfig(), {
        httpBase: deps.getHttpBase(),
        detected: deps.getDetected?.(),
        startEntry: deps.startEntry ?? start?.entry,
        startMenu: start?.menu,
        notes: start?.note ? [start.note] : [],
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
