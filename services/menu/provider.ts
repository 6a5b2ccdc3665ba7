import { Readable } from 'node:stream';
import type { BootScriptProvider, VirtualFile, VirtualFileProvider } from '../core/runtime.js';
import type { HostAssignment, MenuConfig, MenuEntry } from './model.js';
import { consumeNextBoot, resolveHostStart } from './assignments.js';
import { renderIpxeScript } from './render-ipxe.js';
import { renderPxelinuxConfig } from './render-pxelinux.js';
import type { CheckinRenderer } from './checkin.js';

/**
 * Glue between the menu and the boot servers: a BootScriptProvider for HTTP's /boot.ipxe that applies
 * per-host assignments, and a virtual `pxelinux.cfg/default` for TFTP and HTTP. Both read the current
 * configuration on every request, so an edit applies to the next client without a restart.
 */

export interface MenuProviderOptions {
  /** The current menu configuration (profile.menu). */
  getConfig: () => MenuConfig;
  /** Rescue tools detected at start (detectRescueTools().entries). */
  getDetected?: () => readonly MenuEntry[];
  checkin?: CheckinRenderer;
  /**
   * Called once when a client uses its next-boot assignment. Persist it, e.g.
   * `store.patchProfile({ menu: consumeNextBoot(store.profile.menu, mac) })`. Awaited before the script
   * is returned; an error is passed to onError and the script is still served.
   */
  onNextBootConsumed?: (mac: string, assignment: HostAssignment) => void | Promise<void>;
  onError?: (err: unknown) => void;
}

export function createMenuScriptProvider(opts: MenuProviderOptions): BootScriptProvider {
  // Next-boot assignments already used but maybe not yet saved: never serve one twice.
  const used = new Set<string>();
  return async (client, ctx) => {
    let config = opts.getConfig();
    const detected = opts.getDetected?.() ?? [];
    const mac = client.mac;
    let host = resolveHostStart(config, mac, detected);
    if (host.consumesNextBoot && host.assignment && used.has(JSON.stringify(host.assignment))) {
      config = consumeNextBoot(config, host.assignment.mac, detected);
      host = resolveHostStart(config, mac, detected);
    }
    if (host.consumesNextBoot && host.assignment) {
      const a = host.assignment;
      used.add(JSON.stringify(a));
      try {
        await opts.onNextBootConsumed?.(a.mac, a);
      } catch (err) {
        opts.onError?.(err);
      }
    }
    for (const key of used)
      if (!opts.getConfig().hosts.some((h) => JSON.stringify(h) === key)) used.delete(key);
    return renderIpxeScript(config, {
      httpBase: ctx.httpBase,
      detected,
      start: host.start,
      checkin: opts.checkin,
      notes: host.note ? [host.note] : [],
    });
  };
}

/** A VirtualFile over bytes in memory. `range.end` is inclusive, like fs.createReadStream. */
export function memoryFile(data: Buffer, mtime: Date): VirtualFile {
  return {
    size: data.length,
    mtime,
    open: (range) => Readable.from(range ? [data.subarray(range.start, range.end + 1)] : [data]),
  };
}

export const PXELINUX_DEFAULT_PATH = 'pxelinux.cfg/default';

/**
 * Serves `pxelinux.cfg/default` (the name pxelinux asks for last, after its per-MAC and per-IP names;
 * syslinux doc/pxelinux.txt) rendered from the current menu. A real file of that name in the boot root
 * is shadowed only while the menu is in use: pass `enabled` to turn it off.
 */
export function createPxelinuxFileProvider(opts: {
  getConfig: () => MenuConfig;
  getDetected?: () => readonly MenuEntry[];
  enabled?: () => boolean;
  /** runtime.httpBase(), for `${base}` in command lines. */
  getHttpBase?: () => string | null;
}): VirtualFileProvider {
  let cache: { key: string; file: VirtualFile } | undefined;
  return (requested) => {
    const name = requested.replace(/\\/g, '/').replace(/^\/+/, '');
    if (name !== PXELINUX_DEFAULT_PATH) return undefined;
    if (opts.enabled && !opts.enabled()) return undefined;
    const httpBase = opts.getHttpBase?.() ?? undefined;
    const text = renderPxelinuxConfig(opts.getConfig(), {
      detected: opts.getDetected?.() ?? [],
      ...(httpBase ? { httpBase } : {}),
    });
    if (!cache || cache.key !== text)
      cache = { key: text, file: memoryFile(Buffer.from(text, 'utf8'), new Date()) };
    return cache.file;
  };
}
