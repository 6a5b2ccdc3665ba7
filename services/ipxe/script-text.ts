/**
 * Text inside an iPXE script line, one rule for every writer (the menu renderer, the HTTP server's built-in
 * script, the first stage). iPXE splits a line on whitespace with no quoting; a token starting with "#"
 * begins a comment; "||", "&&" and ";" tokens chain commands; "${" expands a setting (docs/ipxe-notes.md
 * "Script lines"; iPXE src/core/exec.c split_command, command_terminator, expand_tokens).
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

/**
 * Text a client sent (DMI strings, host names) for an `echo` line: first narrowed to plain ASCII words
 * (letters, digits, space and . _ : / ( ) + , @ = -; anything else becomes "_") and capped, since it
 * comes off the wire, then written with the same rule as all script text (a no-op on such text).
 */
export function ipxeClientText(text: string, max = 120): string {
  const plain = text
    .replace(/[^A-Za-z0-9 ._:/()+,@=-]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
  return ipxeText(plain);
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
