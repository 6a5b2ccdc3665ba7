import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualFile, VirtualFileProvider } from '../core/runtime.js';
import { SIGNED_FIRST_STAGE } from './policy.js';

/**
 * The signed boot chain for Secure Boot machines (issue 16), served by TFTP and HTTP as virtual files from
 * the distribution's packages, never copied:
 *   shimx64.efi  <- shim-signed (/usr/lib/shim/shimx64.efi.signed, signed by Microsoft's UEFI CA)
 *   grubx64.efi  <- grub-efi-amd64-signed (grubnetx64.efi.signed, signed by Debian): shim loads
 *                   "grubx64.efi" from the directory it was loaded from (shim DEFAULT_LOADER, netboot.c)
 *   mmx64.efi    <- shim-signed MokManager: shim starts it when GRUB fails verification, so the screen
 *                   says why instead of hanging.
 * A file of the same name in the boot root wins (e.g. another distribution's signed shim and GRUB).
 */
export const SIGNED_CHAIN_FILES: Record<string, { paths: string[]; pkg: string }> = {
  [SIGNED_FIRST_STAGE]: { paths: ['/usr/lib/shim/shimx64.efi.signed'], pkg: 'shim-signed' },
  'grubx64.efi': {
    paths: ['/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed'],
    pkg: 'grub-efi-amd64-signed',
  },
  'mmx64.efi': { paths: ['/usr/lib/shim/mmx64.efi.signed'], pkg: 'shim-signed' },
};

function fileAt(path: string): VirtualFile | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) return undefined;
    return {
      size: st.size,
      mtime: st.mtime,
      open: (range) =>
        range ? createReadStream(path, { start: range.start, end: range.end }) : createReadStream(path),
    };
  } catch {
    return undefined;
  }
}

/** Where one signed-chain file comes from on this machine, or undefined. */
export function signedChainSource(name: string): string | undefined {
  return SIGNED_CHAIN_FILES[name]?.paths.find((p) => fileAt(p) !== undefined);
}

/** What is missing for the signed chain, in a technician's words, or undefined when it can be served. */
export function signedChainMissing(bootRoot: string): string | undefined {
  const missing = Object.entries(SIGNED_CHAIN_FILES)
    .filter(([name]) => name !== 'mmx64.efi')
    .filter(([name]) => !fileAt(join(bootRoot, name)) && !signedChainSource(name));
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map(([, f]) => f.pkg))];
  return (
    `Secure Boot machines cannot boot: ${missing.map(([n]) => n).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
    `Install ${pkgs.join(' and ')} (sudo apt-get install ${pkgs.join(' ')}), or copy signed files of those names into the boot root.`
  );
}

/** Serves the signed chain by name unless the boot root has its own file of that name. */
export function signedChainProvider(bootRoot: string): VirtualFileProvider {
  return (path) => {
    const name = path.replace(/^\/+/, '');
    if (!SIGNED_CHAIN_FILES[name] || fileAt(join(bootRoot, name))) return undefined;
    const src = signedChainSource(name);
    return src ? fileAt(src) : undefined;
  };
}
