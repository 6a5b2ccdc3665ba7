/**
 * Addresses as Bootlab writes and compares them, one rule each (Node-free: the renderer uses it too).
 *
 * MAC: iPXE sends `${mac}` as 52:54:00:12:34:56 and `${mac:hexhyp}` as 52-54-00-12-34-56 (docs/ipxe-notes.md,
 * "Settings in URLs"); people also type 525400123456 or 5254.0012.3456. All become lowercase,
 * colon-separated. The all-zero and broadcast addresses name no machine and are refused.
 */
import { z } from 'zod';

const MAC_SEPARATORS = /[-:.\s]/g;

/** "52-54-00-12-34-56", "52:54:00:12:34:56", "525400123456", "5254.0012.3456" → "52:54:00:12:34:56". */
export function normalizeMac(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const hex = value.trim().toLowerCase().replace(MAC_SEPARATORS, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  if (hex === '000000000000' || hex === 'ffffffffffff') return undefined;
  return hex.match(/../g)!.join(':');
}

/** True for a MAC in any accepted form. */
export function isMac(value: string | null | undefined): boolean {
  return normalizeMac(value) !== undefined;
}

const MAC_HINT = 'a MAC address like 52:54:00:12:34:56';

/** A MAC in any accepted form, parsed to the normal form. */
export const macSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const mac = normalizeMac(value);
    if (!mac) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: MAC_HINT });
      return z.NEVER;
    }
    return mac;
  });

/** The IPv4 address of a peer: Node reports IPv4 peers of dual-stack sockets as "::ffff:10.0.0.5". */
export function hostOfAddress(address: string | undefined): string {
  const a = address ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Bootlab's HTTP base URL: "http://10.0.0.1" on port 80, "http://10.0.0.1:8080" elsewhere. */
export function httpBaseUrl(address: string, port: number): string {
  return port === 80 ? `http://${address}` : `http://${address}:${port}`;
}
