import { isUrl } from './entry-facts.js';

/**
 * Making text safe for an iPXE script line. iPXE splits a line on whitespace with no quoting; a token
 * starting with "#" begins a comment; "||", "&&" and ";" tokens chain commands; "${" expands a setting
 * (src/core/exec.c split_command, command_terminator, expand_tokens).
 */

/** One line of display text (menu titles, item text, echo): collapsed spaces, no operators or expansions. */
export function ipxeText(input: string): string {
  return (
    input
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x1f\x7f]/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => (w === '||' || w === '&&' ? w[0]! : w === ';' ? ',' : w))
      .map((w) => w.replace(/^#+/, 'No.'))
      .join(' ')
      .replace(/\$\{/g, '$ {')
  );
}

/** Display text that must not be read as an option by iPXE's getopt (starts with "-"). */
export function ipxeArgText(input: string): string {
  const t = ipxeText(input);
  return t.startsWith('-') ? `- ${t}` : t;
}

// Characters kept as they are in a URL path; everything else is percent-encoded so it stays one token.
const SAFE_URL_CHAR = /[A-Za-z0-9\-._~/:+,=@!*()%?&;[\]]/;

/** Percent-encodes what would break the token (spaces, quotes, "#") but keeps `${setting}` references. */
export function encodeUrlToken(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '$' && input[i + 1] === '{') {
      const end = input.indexOf('}', i);
      if (end > 0) {
        out += input.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    out += SAFE_URL_CHAR.test(ch) ? ch : encodeURIComponent(ch);
  }
  return out;
}

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

/** Kernel command line: one line, collapsed whitespace; `${...}` references are left for iPXE to expand. */
export function ipxeCmdline(input: string): string {
  return (
    input
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x1f\x7f]/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '' && w !== '||' && w !== '&&' && w !== ';' && !w.startsWith('#'))
      .join(' ')
  );
}
