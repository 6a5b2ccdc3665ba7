import type { Profile } from '../profile.js';
import type { Logger } from '../core/logger.js';
import type { Runtime } from '../core/runtime.js';
import { menuConfigSchema, type MenuConfig, type MenuEntry } from './model.js';
import { consumeNextBoot, resolveHostStart } from './assignments.js';
import { createMenuScriptProvider, createPxelinuxFileProvider } from './provider.js';
import {
  createRescueFileProvider,
  detectRescueTools,
  RESCUE_PREFIX,
  type RescueDetection,
} from './rescue.js';
import { bootRootFileExists } from './boot-root-files.js';
import { validateMenuConfig, type MenuValidation } from './validate.js';
import { renderIpxeScript } from './render-ipxe.js';
import { previewMenu, type MenuPreview } from './text-preview.js';
import { renderPxelinuxConfig } from './render-pxelinux.js';
import { createGrubConfigProvider, grubHostStart } from './grub-config-file.js';
import type { MenuPreviewResponse } from './views.js';
import type { CheckinRenderer } from './checkin.js';
import { BootlabError } from '../shared/errors.js';
import { withContributions, type MenuContributor } from './contributions.js';

/**
 * The menu manager the host owns: reads the menu from the active profile, detects rescue tools, installs
 * the /boot.ipxe provider and the virtual files (pxelinux.cfg/default, bootlab-rescue/…) into the runtime,
 * saves edits and used-up next-boot assignments back into the profile, and answers the API's preview and
 * validation questions.
 */

export interface MenuManagerDeps {
  store: { readonly profile: Profile; patchProfile(patch: Record<string, unknown>): Promise<Profile> };
  /** Absolute boot root, e.g. resolve(profile.bootRoot ?? join(dataDir, 'boot')). */
  bootRoot: () => string;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** System folders searched for rescue tools (default /boot, /usr/lib/memtest86+). */
  systemDirs?: string[];
  checkin?: CheckinRenderer;
}

export interface PreviewRequest {
  mac?: string;
  platform: 'pcbios' | 'efi';
  buildarch?: string;
  httpBase: string;
  /** Preview an unsaved configuration (the editor's current state); the stored one when undefined. */
  menu?: unknown;
}

export class MenuManager {
  private detection: RescueDetection = { entries: [], systemFiles: new Map() };
  /** Menus added without editing (the boot library's ISOs): merged when served, previewed or validated. */
  private readonly contributors: MenuContributor[] = [];

  constructor(private readonly deps: MenuManagerDeps) {}

  get config(): MenuConfig {
    return this.deps.store.profile.menu;
  }

  /** Adds a menu contributor (services/menu/contributions.ts); returns a function that removes it. */
  addContributor(contributor: MenuContributor): () => void {
    this.contributors.push(contributor);
    return () => {
      const i = this.contributors.indexOf(contributor);
      if (i >= 0) this.contributors.splice(i, 1);
    };
  }

  /** The configuration as clients see it: the stored one plus contributed menus. */
  served(config: MenuConfig = this.config): MenuConfig {
    return withContributions(config, this.contributors);
  }

  get detected(): readonly MenuEntry[] {
    return this.detection.entries;
  }

  /** Looks for rescue tools again (at start, and when the boot root changes). */
  async detect(): Promise<RescueDetection> {
    this.detection = await detectRescueTools({
      bootRoot: this.deps.bootRoot(),
      systemDirs: this.deps.systemDirs,
    });
    if (this.detection.entries.length > 0) {
      this.deps.log?.info(`Rescue tools found: ${this.detection.entries.map((e) => e.id).join(', ')}.`);
    }
    return this.detection;
  }

  /** Sets runtime.bootScript and adds the virtual files. Returns a function that removes them again. */
  install(runtime: Runtime): () => void {
    const getConfig = (): MenuConfig => this.served();
    const getDetected = (): readonly MenuEntry[] => this.detection.entries;
    const menuScript = (runtime.bootScript = createMenuScriptProvider({
      getConfig,
      getDetected,
      checkin: this.deps.checkin,
      onNextBootConsumed: (mac) => this.consumeNextBoot(mac),
      onError: (err) =>
        this.deps.log?.warn(`Could not save the used next-boot assignment: ${(err as Error).message}`),
    }));
    const removers = [
      // grub/grub.cfg for Secure Boot machines (shim -> GRUB); steps aside when quick mode replaced the menu.
      runtime.addVirtualFiles(
        createGrubConfigProvider({
          getConfig,
          getDetected,
          getHttpBase: () => runtime.httpBase(),
          active: () => runtime.bootScript === menuScript,
          startFor: (client) => grubHostStart(getConfig(), runtime.macFor(client.address), getDetected()),
        }),
      ),
      runtime.addVirtualFiles(createRescueFileProvider(() => this.detection.systemFiles)),
      runtime.addVirtualFiles(
        createPxelinuxFileProvider({ getConfig, getDetected, getHttpBase: () => runtime.httpBase() }),
      ),
    ];
    return () => {
      removers.forEach((r) => r());
      runtime.bootScript = null;
    };
  }

  /** Saves the used next-boot assignment of `mac` (removed, or turned into "boot the local disk"). */
  async consumeNextBoot(mac: string): Promise<void> {
    const next = consumeNextBoot(this.config, mac, this.detection.entries);
    if (next === this.config) return;
    await this.deps.store.patchProfile({ menu: next });
    this.deps.log?.info(`Next-boot assignment of ${mac} used.`);
  }

  fileExists(path: string): Promise<boolean> {
    const virtual = (p: string): boolean =>
      (p.startsWith(`${RESCUE_PREFIX}/`) && this.detection.systemFiles.has(p)) ||
      this.contributors.some((c) => c.hasFile?.(p) === true);
    return bootRootFileExists(this.deps.bootRoot(), virtual)(path);
  }

  validate(raw: unknown = this.config): Promise<MenuValidation> {
    const parsed = menuConfigSchema.safeParse(raw);
    return validateMenuConfig(parsed.success ? this.served(parsed.data) : raw, {
      fileExists: (p) => this.fileExists(p),
      detected: this.detection.entries,
    });
  }

  /** Validates (schema errors refuse the save; file and firmware problems are returned, not refused). */
  async save(raw: unknown): Promise<{ config: MenuConfig; validation: MenuValidation }> {
    const parsed = menuConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const validation = await this.validate(raw);
      throw new BootlabError(
        'BAD_REQUEST',
        `The menu is not valid: ${validation.issues.map((i) => (i.entryId ? `${i.entryId}: ` : '') + i.message).join('; ')}`,
        'Correct the entries named and save again.',
        { issues: validation.issues },
      );
    }
    await this.deps.store.patchProfile({ menu: parsed.data });
    return { config: this.config, validation: await this.validate(this.config) };
  }

  /** Script, text-mode look and pxelinux file for one client, of the stored or an unsaved menu. */
  async preview(req: PreviewRequest): Promise<MenuPreviewResponse> {
    const validation = await this.validate(req.menu === undefined ? this.config : req.menu);
    const parsed =
      req.menu === undefined
        ? { success: true as const, data: this.config }
        : menuConfigSchema.safeParse(req.menu);
    if (!parsed.success) {
      const empty: MenuPreview = { menuId: '', title: '', timeout: 0, rows: [], lines: [] };
      return {
        script: '',
        menu: empty,
        pxelinux: '',
        start: { type: 'menu', menu: '' },
        issues: validation.issues,
      };
    }
    const config = this.served(parsed.data);
    const detected = this.detection.entries;
    const host = resolveHostStart(config, req.mac, detected);
    const script = renderIpxeScript(config, {
      httpBase: req.httpBase,
      detected,
      start: host.start,
      checkin: this.deps.checkin,
      notes: host.note ? [host.note] : [],
    });
    const menuId = host.start.type === 'menu' ? host.start.menu : config.root;
    const menu = previewMenu(
      config,
      { platform: req.platform, buildarch: req.buildarch },
      { menuId, detected },
    );
    const pxelinux = renderPxelinuxConfig(config, { detected, httpBase: req.httpBase });
    return {
      script,
      menu,
      pxelinux,
      start: host.start,
      issues: validation.issues,
      // The stored (or edited) menu, without contributed menus: the editor saves what it gets back.
      config: parsed.data,
      ...(host.note ? { note: host.note } : {}),
    };
  }
}
