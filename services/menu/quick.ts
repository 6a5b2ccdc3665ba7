import { menuConfigSchema, type MenuConfig } from './model.js';
import { renderIpxeScript } from './render-ipxe.js';
import type { BootScriptProvider } from '../core/runtime.js';
import type { CheckinRenderer } from './checkin.js';

/**
 * Quick mode (`bootlab boot --kernel … --initrd … --cmdline …`): a one-entry menu that boots the kernel
 * at once. If a download or the boot fails, the client lands on a small menu (the same kernel again,
 * iPXE shell, reboot) instead of a dead end.
 */

export interface QuickBootSpec {
  /** Boot-root paths or URLs (the host publishes files from elsewhere as virtual files first). */
  kernel: string;
  initrds?: string[];
  cmdline?: string;
  label?: string;
}

export const QUICK_ENTRY_ID = 'quick';

export function quickMenuConfig(spec: QuickBootSpec): MenuConfig {
  return menuConfigSchema.parse({
    root: 'quick',
    autoRescue: false,
    menus: [
      {
        id: 'quick',
        title: 'Bootlab quick boot',
        timeout: 0,
        default: QUICK_ENTRY_ID,
        entries: [
          {
            id: QUICK_ENTRY_ID,
            kind: 'linux',
            label: spec.label ?? 'Boot the quick-boot kernel again',
            kernel: spec.kernel,
            initrds: spec.initrds ?? [],
            cmdline: spec.cmdline ?? '',
          },
          { id: 'shell', kind: 'shell', label: 'iPXE shell', key: 's' },
          { id: 'reboot', kind: 'reboot', label: 'Reboot', key: 'r' },
        ],
      },
    ],
  });
}

/** The iPXE script for quick mode: boots the entry straight away (no menu shown unless it fails). */
export function renderQuickScript(spec: QuickBootSpec, httpBase: string, checkin?: CheckinRenderer): string {
  return renderIpxeScript(quickMenuConfig(spec), {
    httpBase,
    start: { type: 'entry', entry: QUICK_ENTRY_ID },
    checkin,
    notes: ['quick boot'],
  });
}

export function createQuickScriptProvider(
  spec: QuickBootSpec,
  checkin?: CheckinRenderer,
): BootScriptProvider {
  return (_client, ctx) => renderQuickScript(spec, ctx.httpBase, checkin);
}
