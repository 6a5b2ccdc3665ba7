import type { Menu, MenuEntry } from '../menu/model.js';
import type { MenuContribution } from '../menu/contributions.js';
import type { CatalogItem } from './catalog-model.js';
import type { BootMethod, BootPlan, LibraryIsoView } from './views.js';

/**
 * Turns the ready ISOs into menu entries: a "ISO library" header and one submenu entry per ISO in the root
 * menu, and per ISO its own submenu with one entry per workable method, the method in use first and as
 * its default. Files taken out of an ISO are served under `bootlab-library/<hash key>/<method>/<path>`.
 */

export const LIBRARY_PREFIX = 'bootlab-library';
const METHOD_SUFFIX: Record<BootMethod, string> = {
  extracted: 'k',
  wimboot: 'w',
  sanboot: 's',
  memdisk: 'm',
};
const METHOD_LABEL: Record<BootMethod, string> = {
  extracted: 'kernel and initrd over HTTP',
  wimboot: 'wimboot',
  sanboot: 'sanboot (ISO over HTTP)',
  memdisk: 'memdisk (ISO in RAM)',
};

export function entryIdFor(iso: LibraryIsoView, method: BootMethod): string {
  return `${iso.menuId}-${METHOD_SUFFIX[method]}`;
}

function treeOf(iso: LibraryIsoView, method: BootMethod): string {
  return `${LIBRARY_PREFIX}/${iso.sha256!.slice(0, 32)}/${method}`;
}

/** A boot-root path as one URL token for a kernel command line (spaces and such percent-encoded). */
function urlPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function fill(cmdline: string, isoPath: string, tree: string): string {
  return cmdline
    .replace(/\{iso\}/g, '${base}/' + urlPath(isoPath))
    .replace(/\{tree\}/g, '${base}/' + urlPath(tree));
}

export function entryFor(iso: LibraryIsoView, plan: BootPlan, recommended: boolean): MenuEntry {
  const tree = treeOf(iso, plan.method);
  const base = {
    id: entryIdFor(iso, plan.method),
    label: `${iso.name}: ${METHOD_LABEL[plan.method]}${recommended ? ' (recommended)' : ''}`.slice(0, 200),
    firmware: plan.firmware,
  };
  switch (plan.method) {
    case 'extracted':
      return {
        ...base,
        kind: 'iso',
        iso: iso.bootPath,
        method: 'extracted',
        memdisk: 'memdisk',
        kernel: `${tree}/${plan.kernel!}`,
        initrds: plan.initrds.map((p) => `${tree}/${p}`),
        cmdline: [fill(plan.cmdline, iso.bootPath, tree), iso.extraArgs ?? ''].filter(Boolean).join(' '),
      };
    case 'wimboot': {
      const find = (re: RegExp): string => `${tree}/${plan.extract.find((p) => re.test(p)) ?? ''}`;
      const bootmgr = plan.extract.find((p) => /^bootmgr$/i.test(p));
      return {
        ...base,
        kind: 'winpe',
        wimboot: 'wimboot',
        bcd: find(/(^|\/)bcd$/i),
        bootSdi: find(/boot\.sdi$/i),
        bootWim: find(/boot\.wim$/i),
        extraFiles: bootmgr ? [{ path: `${tree}/${bootmgr}`, name: 'bootmgr' }] : [],
        args: '',
      };
    }
    case 'sanboot':
    case 'memdisk':
      return {
        ...base,
        kind: 'iso',
        iso: iso.bootPath,
        method: plan.method,
        memdisk: 'memdisk',
        initrds: [],
        cmdline: '',
      };
  }
}

/** Orders plans: the method in use first. */
function orderedPlans(iso: LibraryIsoView): BootPlan[] {
  const plans = iso.inspection?.plans ?? [];
  const first = plans.filter((p) => p.method === iso.method);
  return [...first, ...plans.filter((p) => p.method !== iso.method)];
}

export function libraryContribution(isos: readonly LibraryIsoView[]): MenuContribution {
  const ready = isos.filter((i) => i.state === 'ready' && i.menuId && i.sha256 && i.inspection);
  if (ready.length === 0) return { rootEntries: [], menus: [] };
  const rootEntries: MenuEntry[] = [{ id: 'lib-header', kind: 'header', label: 'ISO library' }];
  const menus: Menu[] = [];
  for (const iso of ready) {
    const plans = orderedPlans(iso);
    const entries = plans.map((p, i) => entryFor(iso, p, i === 0 && !iso.overridden));
    menus.push({
      id: iso.menuId!,
      title: `${iso.name} (${iso.inspection!.familyLabel})`.slice(0, 200),
      timeout: 5,
      default: entries[0]?.id,
      entries,
    });
    rootEntries.push({
      id: `${iso.menuId!}-menu`,
      kind: 'submenu',
      label: `${iso.name} (${iso.file})`.slice(0, 200),
      firmware: 'both',
      menu: iso.menuId!,
    });
  }
  return { rootEntries, menus };
}

/** The stored-menu entry for a non-ISO catalog item (chain, binary, kernel, user files), or undefined. */
export function catalogMenuEntry(item: CatalogItem, bootPath: string | undefined): MenuEntry | undefined {
  const id = `cat-${item.id}`.slice(0, 48);
  const label = item.name.slice(0, 200);
  switch (item.kind) {
    case 'chain':
      return item.chainUrl ? { id, kind: 'chain', label, firmware: 'both', url: item.chainUrl } : undefined;
    case 'user-files':
      // Your own WinPE files in winpe/ of the boot root, booted by wimboot (ipxe.org/wimboot).
      return {
        id,
        kind: 'winpe',
        label,
        firmware: 'both',
        wimboot: 'wimboot',
        bcd: 'winpe/boot/bcd',
        bootSdi: 'winpe/boot/boot.sdi',
        bootWim: 'winpe/sources/boot.wim',
        extraFiles: [],
        args: '',
      };
    case 'kernel':
      return bootPath
        ? { id, kind: 'linux', label, firmware: 'both', kernel: bootPath, initrds: [], cmdline: '' }
        : undefined;
    case 'binary': {
      if (!bootPath) return undefined;
      if (item.unpack) {
        const dir = `${bootPath.split('/').slice(0, -1).join('/')}/${item.id}`.replace(/^\//, '');
        return {
          id,
          kind: 'binary',
          label,
          firmware: 'both',
          ...(item.unpack.efi ? { efi: `${dir}/${item.unpack.efi}`, arch: ['x86_64' as const] } : {}),
          ...(item.unpack.bios ? { bios: `${dir}/${item.unpack.bios}` } : {}),
          args: '',
        };
      }
      const efi = /\.efi$/i.test(bootPath);
      return {
        id,
        kind: 'binary',
        label,
        firmware: 'both',
        ...(efi ? { efi: bootPath } : { bios: bootPath }),
        args: '',
      };
    }
    case 'iso':
      return undefined;
  }
}
