import type { z } from 'zod';
import { menuConfigSchema, isBootable, type MenuConfig, type MenuEntry } from './model.js';
import { effectiveMenus, entryFiles, firmwareNeeds, isUrl } from './entry-facts.js';
import { issueSentence } from '../core/field-problems.js';

/**
 * Checks a menu configuration beyond its schema: files exist under the boot root (or URLs are well
 * formed), entries that cannot run on a firmware, duplicate ids and keys, empty menus, missing or
 * unreachable submenus, host assignments that point nowhere. Every issue names the entry (or menu, or
 * host) it belongs to, so the editor can show it next to that entry.
 */

export interface MenuIssue {
  severity: 'error' | 'warning';
  /** The entry the issue is about, when there is one. */
  entryId?: string;
  menuId?: string;
  /** For host assignments: the MAC. */
  mac?: string;
  field?: string;
  message: string;
}

export interface MenuValidation {
  /** No errors (warnings allowed). */
  ok: boolean;
  issues: MenuIssue[];
}

export interface ValidateOptions {
  /** True when a boot-root relative path can be served (boot root file or virtual file). */
  fileExists?: (path: string) => boolean | Promise<boolean>;
  detected?: readonly MenuEntry[];
}

/** Schema errors keyed to entries where the path says which one (menus.0.entries.2.kernel). */
export function schemaIssues(raw: unknown, error: z.ZodError): MenuIssue[] {
  const r = raw as
    { menus?: { id?: unknown; entries?: { id?: unknown }[] }[]; hosts?: { mac?: unknown }[] } | undefined;
  return error.issues.map((i) => {
    const [top, a, sub, b, ...rest] = i.path;
    // A sentence that says what to enter, not zod's wording ("String must contain at least 1 character(s)").
    const issue: MenuIssue = { severity: 'error', message: issueSentence(i) };
    if (top === 'menus' && typeof a === 'number') {
      const menu = r?.menus?.[a];
      if (typeof menu?.id === 'string') issue.menuId = menu.id;
      if (sub === 'entries' && typeof b === 'number') {
        const id = menu?.entries?.[b]?.id;
        if (typeof id === 'string') issue.entryId = id;
        issue.field = rest.join('.') || undefined;
      } else issue.field = [sub, b, ...rest].filter((x) => x !== undefined).join('.') || undefined;
    } else if (top === 'hosts' && typeof a === 'number') {
      const mac = r?.hosts?.[a]?.mac;
      if (typeof mac === 'string') issue.mac = mac;
      issue.field = [sub, b, ...rest].filter((x) => x !== undefined).join('.') || undefined;
    } else issue.field = i.path.join('.') || undefined;
    if (issue.field === undefined) delete issue.field;
    return issue;
  });
}

function checkUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a valid URL.`;
  }
  if (!['http:', 'https:', 'tftp:', 'ftp:'].includes(u.protocol))
    return `iPXE cannot download ${u.protocol} URLs; use http:// or tftp://.`;
  if (!u.hostname) return `"${url}" has no host name.`;
  if (/\s/.test(url)) return `"${url}" contains spaces; encode them as %20.`;
  return undefined;
}

function pathProblem(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p))
    return `"${path}" is an absolute path; give it relative to the boot root.`;
  if (p.split('/').includes('..')) return `"${path}" leaves the boot root ("..").`;
  return undefined;
}

type Add = (issue: MenuIssue) => void;
type Bootable = Exclude<MenuEntry, { kind: 'separator' } | { kind: 'header' }>;
type Menus = ReturnType<typeof effectiveMenus>;

/** Validates an already-parsed configuration (the checks a schema cannot make), menu by menu, then hosts. */
export async function checkMenuConfig(config: MenuConfig, opts: ValidateOptions = {}): Promise<MenuIssue[]> {
  const issues: MenuIssue[] = [];
  const add: Add = (i) => void issues.push(i);
  const menus = effectiveMenus(config, opts.detected);
  const menuIds = checkMenuIds(config, menus, add);
  const entryCount = new Map<string, number>();
  for (const e of menus.flatMap((m) => m.entries)) entryCount.set(e.id, (entryCount.get(e.id) ?? 0) + 1);
  const reachable = reachableMenus(config, menus);
  for (const menu of menus) {
    checkMenuShape(menu, reachable, add);
    await checkMenuEntries(menu, { config, menuIds, entryCount, opts, add });
  }
  checkHosts(config, menus, menuIds, add);
  return issues;
}

/** Menu ids are unique and the start menu exists; returns how often each id occurs. */
function checkMenuIds(config: MenuConfig, menus: Menus, add: Add): Map<string, number> {
  const menuIds = new Map<string, number>();
  for (const m of menus) menuIds.set(m.id, (menuIds.get(m.id) ?? 0) + 1);
  for (const [id, n] of menuIds)
    if (n > 1)
      add({ severity: 'error', menuId: id, message: `${n} menus have the id "${id}"; ids must be unique.` });
  if (!menuIds.has(config.root))
    add({ severity: 'error', message: `The start menu "${config.root}" does not exist.`, field: 'root' });
  return menuIds;
}

/** Menus reachable from the root and from menus assigned to hosts, following submenu entries. */
function reachableMenus(config: MenuConfig, menus: Menus): Set<string> {
  const reachable = new Set<string>();
  const visit = (id: string): void => {
    if (reachable.has(id)) return;
    reachable.add(id);
    for (const e of menus.find((m) => m.id === id)?.entries ?? []) if (e.kind === 'submenu') visit(e.menu);
  };
  visit(config.root);
  for (const h of config.hosts) if (h.action.type === 'menu') visit(h.action.menu);
  return reachable;
}

/** One menu as a whole: something to choose, reachable, a default that exists and runs everywhere. */
function checkMenuShape(menu: Menus[number], reachable: Set<string>, add: Add): void {
  const m = menu.id;
  if (!menu.entries.some(isBootable))
    add({ severity: 'error', menuId: m, message: `The menu "${menu.title}" has no entries to choose.` });
  if (!reachable.has(m))
    add({
      severity: 'warning',
      menuId: m,
      message: `No entry leads to the menu "${menu.title}"; add a submenu entry for it or assign it to a host.`,
    });
  if (!menu.default) return;
  const d = menu.entries.find((e) => e.id === menu.default);
  if (!d || !isBootable(d)) {
    add({
      severity: 'error',
      menuId: m,
      field: 'default',
      message: `The default entry "${menu.default}" is not an entry of this menu.`,
    });
    return;
  }
  const n = firmwareNeeds(d);
  if (!n.bios || !n.uefi)
    add({
      severity: 'warning',
      menuId: m,
      entryId: d.id,
      message: `The default entry runs on ${n.bios ? 'BIOS' : 'UEFI'} only; on other machines the timeout highlights nothing useful.`,
    });
}

interface EntryChecks {
  config: MenuConfig;
  menuIds: Map<string, number>;
  entryCount: Map<string, number>;
  opts: ValidateOptions;
  add: Add;
}

/** Each entry of one menu: unique id, unique shortcut key, then the entry's own checks. */
async function checkMenuEntries(menu: Menus[number], c: EntryChecks): Promise<void> {
  const m = menu.id;
  const keys = new Map<string, string>();
  for (const e of menu.entries) {
    if ((c.entryCount.get(e.id) ?? 0) > 1)
      c.add({
        severity: 'error',
        menuId: m,
        entryId: e.id,
        field: 'id',
        message: `The id "${e.id}" is used more than once; every entry needs its own id.`,
      });
    if (!isBootable(e)) continue;
    if (e.key) {
      const k = e.key.toLowerCase();
      const other = keys.get(k);
      if (other)
        c.add({
          severity: 'warning',
          menuId: m,
          entryId: e.id,
          field: 'key',
          message: `The key "${k}" is also used by "${other}"; only the first one reacts.`,
        });
      else keys.set(k, e.id);
    }
    await checkEntry(e, m, c);
  }
}

/** Per-machine assignments: one per MAC, pointing at a menu or entry that exists. */
function checkHosts(config: MenuConfig, menus: Menus, menuIds: Map<string, number>, add: Add): void {
  const macs = new Set<string>();
  const allEntries = new Set(menus.flatMap((x) => x.entries.filter(isBootable).map((e) => e.id)));
  for (const h of config.hosts) {
    if (macs.has(h.mac))
      add({ severity: 'error', mac: h.mac, message: `The MAC ${h.mac} has more than one assignment.` });
    macs.add(h.mac);
    if (h.action.type === 'menu' && !menuIds.has(h.action.menu))
      add({
        severity: 'error',
        mac: h.mac,
        message: `${h.mac} is assigned the menu "${h.action.menu}", which does not exist.`,
      });
    if (h.action.type !== 'menu' && !allEntries.has(h.action.entry))
      add({
        severity: 'error',
        mac: h.mac,
        message: `${h.mac} is assigned the entry "${h.action.entry}", which does not exist.`,
      });
  }
}

/** One entry: where it can run, what its kind needs, its label, its files. */
async function checkEntry(e: Bootable, menuId: string, c: EntryChecks): Promise<void> {
  const at = { menuId, entryId: e.id };
  checkFirmware(e, at, c.add);
  checkKindNeeds(e, at, menuId, c);
  if (/(^|\s)#|\$\{|(^|\s)(\|\||&&|;)(\s|$)/.test(e.label))
    c.add({
      severity: 'warning',
      ...at,
      field: 'label',
      message:
        'iPXE cannot show "#" at the start of a word, "${", "&&", "||" or ";" as they are; they are replaced.',
    });
  await checkFiles(e, at, c);
}

type At = { menuId: string; entryId: string };

/** An entry that runs nowhere is an error; one limited to BIOS or UEFI while set to both, a warning. */
function checkFirmware(e: Bootable, at: At, add: Add): void {
  const needs = firmwareNeeds(e);
  if (!needs.bios && !needs.uefi) {
    const why =
      e.kind === 'iso' && e.method === 'memdisk'
        ? 'memdisk runs on BIOS only, but the entry is set to UEFI'
        : e.kind === 'binary' && !e.efi && !e.bios
          ? 'it has neither an EFI nor a BIOS file'
          : `it is set to ${e.firmware} but its kind cannot run there`;
    add({
      severity: 'error',
      ...at,
      field: 'firmware',
      message: `This entry can run on no machine: ${why}.`,
    });
  } else if (e.firmware === 'both' && (!needs.bios || !needs.uefi)) {
    const what =
      e.kind === 'iso' && e.method === 'memdisk'
        ? 'memdisk'
        : e.kind === 'pxelinux'
          ? 'pxelinux'
          : 'this entry';
    add({
      severity: 'warning',
      ...at,
      field: 'firmware',
      message: `${what} runs on ${needs.bios ? 'BIOS' : 'UEFI'} only; other machines see it greyed out.`,
    });
  }
}

/** What the entry's kind needs: an ISO booted from extracted files names its kernel; a submenu exists. */
function checkKindNeeds(e: Bootable, at: At, menuId: string, c: EntryChecks): void {
  if (e.kind === 'iso' && e.method === 'extracted' && !e.kernel)
    c.add({
      severity: 'error',
      ...at,
      field: 'kernel',
      message: 'An ISO booted from extracted files needs the kernel path.',
    });
  if (e.kind === 'submenu') {
    if (!c.menuIds.has(e.menu))
      c.add({ severity: 'error', ...at, field: 'menu', message: `The submenu "${e.menu}" does not exist.` });
    else if (e.menu === menuId)
      c.add({
        severity: 'error',
        ...at,
        field: 'menu',
        message: 'A submenu entry cannot open the menu it is in.',
      });
    else if (e.menu === c.config.root)
      c.add({
        severity: 'warning',
        ...at,
        field: 'menu',
        message: 'This entry opens the start menu; its Back item will lead here again.',
      });
  }
}

/** Each file or URL the entry downloads: a safe path inside the boot root that exists, or a usable URL. */
async function checkFiles(e: Bootable, at: At, c: EntryChecks): Promise<void> {
  for (const f of entryFiles(e)) {
    if (isUrl(f.path)) {
      const problem = checkUrl(f.path);
      if (problem) c.add({ severity: 'error', ...at, field: f.field, message: problem });
      else if (f.path.startsWith('https:'))
        c.add({
          severity: 'warning',
          ...at,
          field: f.field,
          message: "HTTPS needs an iPXE built with HTTPS (Debian's iPXE has none).",
        });
      continue;
    }
    const problem = pathProblem(f.path);
    if (problem) {
      c.add({ severity: 'error', ...at, field: f.field, message: problem });
      continue;
    }
    if (f.path.includes('${')) continue; // expanded by iPXE at boot time
    if (c.opts.fileExists && !(await c.opts.fileExists(f.path))) {
      c.add({
        severity: 'error',
        ...at,
        field: f.field,
        message: `The file "${f.path}" is not in the boot root; copy it there or fix the path.`,
      });
    }
  }
}

/** Parses and checks raw input (an API body or an imported file). */
export async function validateMenuConfig(
  raw: unknown,
  opts: ValidateOptions = {},
): Promise<MenuValidation & { config?: MenuConfig }> {
  const parsed = menuConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: schemaIssues(raw, parsed.error) };
  const issues = await checkMenuConfig(parsed.data, opts);
  return { ok: !issues.some((i) => i.severity === 'error'), issues, config: parsed.data };
}
