import { isIPv4 } from 'node:net';
import type { BootClientInfo } from '../core/runtime.js';
import { normalizeMac } from '../shared/address.js';

/**
 * Reads the iPXE settings the first-stage script puts in the /boot.ipxe query (see services/ipxe/chain.ts) into a
 * BootClientInfo. Lenient by design: a value that does not look right is dropped (never an error), unknown
 * keys are ignored, the first of repeated keys wins. Settings iPXE does not have expand to "" and are
 * dropped too. URLSearchParams keeps broken %-escapes literally instead of throwing.
 */

const MAX_TEXT = 128;

function shortWord(value: string | null): string | undefined {
  // platform (pcbios, efi, …) and buildarch (i386, x86_64, arm64, …): iPXE's own short names.
  return value && /^[A-Za-z0-9_-]{1,24}$/.test(value) ? value : undefined;
}

/** SMBIOS text (manufacturer, product, serial, asset): printable, trimmed, length-limited. */
function text(value: string | null): string | undefined {
  if (!value) return undefined;
  const clean = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_TEXT);
  return clean === '' ? undefined : clean;
}

function uuid(value: string | null): string | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) return undefined;
  return v === '00000000-0000-0000-0000-000000000000' ? undefined : v;
}

function hostname(value: string | null): string | undefined {
  // RFC 1123 labels; iPXE's hostname comes from DHCP option 12.
  return value && /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(value)
    ? value.toLowerCase()
    : undefined;
}

function ipv4(value: string | null): string | undefined {
  return value && isIPv4(value) && value !== '0.0.0.0' ? value : undefined;
}

/**
 * @param query the raw query string (without "?"), exactly as it arrived
 * @param sourceIp the TCP peer address, used when the query has no usable ip
 * @param macFor lease lookup (runtime.macFor), used when the query has no usable mac
 */
export function parseClientQuery(
  query: string,
  sourceIp: string,
  macFor: (ip: string) => string | undefined = () => undefined,
): BootClientInfo {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    params = new URLSearchParams();
  }
  const get = (k: string): string | null => params.get(k);
  const ip = ipv4(get('ip')) ?? sourceIp;
  const info: BootClientInfo = { ip };
  const mac = normalizeMac(get('mac')) ?? normalizeMac(macFor(ip)) ?? normalizeMac(macFor(sourceIp));
  const fields: Partial<BootClientInfo> = {
    mac,
    platform: shortWord(get('platform')),
    buildarch: shortWord(get('buildarch')),
    manufacturer: text(get('manufacturer')),
    product: text(get('product')),
    serial: text(get('serial')),
    uuid: uuid(get('uuid')),
    asset: text(get('asset')),
    hostname: hostname(get('hostname')),
  };
  for (const [k, v] of Object.entries(fields) as [keyof BootClientInfo, string | undefined][]) {
    if (v !== undefined) info[k] = v;
  }
  return info;
}
