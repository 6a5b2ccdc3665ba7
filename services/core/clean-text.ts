/**
 * One cleaner for every string that comes from the wire (syslog, DHCP options, check-in, HTTP headers) or
 * from a form, applied before it is stored or shown. Node-free: the renderer and the services both use it.
 *
 * - Bytes are decoded as UTF-8 with invalid sequences replaced by U+FFFD (WHATWG Encoding "replacement"),
 *   and lone UTF-16 surrogates in strings become U+FFFD too, so nothing downstream (SQLite, JSON, the DOM)
 *   meets text it cannot encode.
 * - C0/C1 control characters and DEL are removed (terminal escapes and NULs from a hostile sender would
 *   otherwise reach logs and the UI); tab, CR and LF become a space unless `multiline` keeps LF.
 *   Bidirectional overrides (U+202A-202E, U+2066-2069) are removed so a name cannot display reversed.
 * - The result is trimmed and capped at `max` code points; a capped value ends with TRUNCATION_MARK so a
 *   person sees it was cut (the UI shows the stored value; a full original is not kept).
 */
export const TRUNCATION_MARK = '…';

/** Caps used across the services, so a host name is capped the same in syslog, DHCP and check-in. */
export const TEXT_LIMITS = {
  /** DHCP option 12 is at most 255 bytes, but a host name label is 63 (RFC 1035 2.3.4); keep a full FQDN-ish name. */
  hostname: 64,
  /** DHCP option 60 vendor class, user class, iPXE build strings. */
  vendor: 128,
  /** Menu entry and menu titles typed by a technician. */
  label: 120,
  /** A short form or check-in field (serial number, model, asset tag). */
  field: 256,
  /** An error text reported by a client or shown beside a failure. */
  error: 500,
  /** One syslog message or log line. */
  message: 2048,
} as const;

export interface CleanTextOptions {
  /** Keep line feeds (e.g. a multi-line note); CR and other controls are still removed. */
  multiline?: boolean;
  /** Keep leading and trailing spaces (default: trimmed); iPXE's syslog " ok" tail means something. */
  trim?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
// Lone surrogates: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const CONTROLS_KEEP_LF =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Returns `input` decoded, cleaned and capped to at most `max` code points (TRUNCATION_MARK included).
 * `undefined`/`null` give ''. Use `cleanOptional` to keep an absent value absent.
 */
export function cleanText(
  input: string | Uint8Array | null | undefined,
  max: number,
  options: CleanTextOptions = {},
): string {
  if (input === null || input === undefined) return '';
  let text = typeof input === 'string' ? input : decoder.decode(input);
  text = text.replace(LONE_SURROGATE, '\uFFFD');
  if (options.multiline) {
    text = text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS_KEEP_LF, '');
  } else {
    text = text.replace(/[\t\r\n]+/g, ' ').replace(CONTROLS, '');
  }
  if (options.trim !== false) text = text.trim();
  return capText(text, max);
}

/** Like cleanText, but an absent or empty-after-cleaning value is `undefined`. */
export function cleanOptional(
  input: string | Uint8Array | null | undefined,
  max: number,
  options?: CleanTextOptions,
): string | undefined {
  if (input === null || input === undefined) return undefined;
  const out = cleanText(input, max, options);
  return out === '' ? undefined : out;
}

/** Caps already-clean text at `max` code points, never splitting a surrogate pair. */
export function capText(text: string, max: number): string {
  const limit = Math.max(1, Math.floor(max));
  // Fast path: UTF-16 length is an upper bound on the code point count.
  if (text.length <= limit) return text;
  const points = Array.from(text);
  if (points.length <= limit) return text;
  return (
    points
      .slice(0, limit - 1)
      .join('')
      .trimEnd() + TRUNCATION_MARK
  );
}

/** True when `text` was cut by capText/cleanText (ends with the marker). */
export function isTruncated(text: string): boolean {
  return text.endsWith(TRUNCATION_MARK);
}
