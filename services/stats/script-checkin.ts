import type { BootClientInfo } from '../core/runtime.js';
import type { CheckinEvent } from '../shared/events.js';

/**
 * The boot script request as a check-in ("script"): the first stage puts the machine's identity in the
 * /boot.ipxe query (services/http/ipxe-lines.ts BOOT_QUERY_SETTINGS), and statistics wants make, model,
 * serial, platform and build architecture. Values were cleaned by the query parser.
 */
export function scriptCheckin(info: BootClientInfo, client: string): CheckinEvent {
  const details: Record<string, string> = {};
  for (const k of [
    'manufacturer',
    'product',
    'serial',
    'platform',
    'buildarch',
    'hostname',
    'uuid',
  ] as const) {
    const v = info[k];
    if (v) details[k] = v;
  }
  return { client, ...(info.mac ? { mac: info.mac } : {}), event: 'script', details };
}
