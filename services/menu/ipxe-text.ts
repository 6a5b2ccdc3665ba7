import { encodeUrlToken } from '../ipxe/script-text.js';
import { isUrl } from './entry-facts.js';

/**
 * Menu-side file names and URLs in iPXE scripts. The text rule itself (ipxeText, encodeUrlToken, …) is
 * shared with the HTTP server: services/ipxe/script-text.ts.
 */

/** The URL iPXE downloads for a boot-root path (`${base}/path`) or a full URL (kept). */
export function fileUrl(path: string): string {
  if (isUrl(path)) return encodeUrlToken(path);
  const clean = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
  return '${base}/' + encodeUrlToken(clean);
}

/** The last path segment (the image name iPXE gives a download), for `initrd=` names. */
export function baseName(path: string): string {
  const noQuery = path.split(/[?#]/)[0]!;
  const parts = noQuery.replace(/\\/g, '/').split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? 'file';
  return last.replace(/[^A-Za-z0-9._+-]/g, '_');
}

/** Unique image names for a list of paths (initrd.img, initrd.img → initrd.img, initrd-2.img). */
export function uniqueNames(paths: readonly string[], taken: Set<string> = new Set()): string[] {
  return paths.map((p) => {
    const base = baseName(p);
    let name = base;
    for (let n = 2; taken.has(name); n++) {
      const dot = base.lastIndexOf('.');
      name = dot > 0 ? `${base.slice(0, dot)}-${n}${base.slice(dot)}` : `${base}-${n}`;
    }
    taken.add(name);
    return name;
  });
}
