import type { CheckinEvent } from '../shared/events.js';
import { cleanOptional } from '../core/clean-text.js';
import { normalizeMac } from '../shared/address.js';

/**
 * GET /checkin?mac=..&ip=..&event=menu|chosen|booting&entry=.. → one `http.checkin` event. iPXE calls it
 * with `imgfetch` (services/ipxe/checkin.ts checkinLines), so the answer is a tiny valid script. Lenient: a bad mac is
 * replaced by the lease lookup, an unknown event word is kept (cleaned), extra keys go to `details`.
 */

export const CHECKIN_REPLY = '#!ipxe\n';
const MAX_DETAILS = 16;
const MAX_VALUE = 128;

/** Wire text: controls removed, invalid text replaced, capped with a visible mark (core/clean-text.ts). */
function clean(value: string | null, max = MAX_VALUE): string | undefined {
  return cleanOptional(value, max);
}

export function parseCheckin(
  query: string,
  sourceIp: string,
  macFor: (ip: string) => string | undefined,
): CheckinEvent | undefined {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return undefined;
  }
  const eventWord = clean(params.get('event'), 32)?.toLowerCase();
  if (!eventWord || !/^[a-z0-9_-]+$/.test(eventWord)) return undefined;
  const mac = normalizeMac(params.get('mac')) ?? normalizeMac(macFor(sourceIp));
  const entry = clean(params.get('entry'));
  const details: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of params) {
    if (['mac', 'event', 'entry'].includes(k) || k in details || !/^[A-Za-z0-9_-]{1,32}$/.test(k)) continue;
    const value = clean(v);
    if (value === undefined) continue;
    details[k] = value;
    if (++n >= MAX_DETAILS) break;
  }
  return {
    client: sourceIp,
    ...(mac ? { mac } : {}),
    event: eventWord,
    ...(entry ? { entry } : {}),
    details,
  };
}
