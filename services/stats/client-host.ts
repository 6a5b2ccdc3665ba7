import { hostOfAddress } from '../shared/address.js';

/**
 * A client's IP from what a service reports: "10.0.0.5:1234" (TFTP adds the port) → "10.0.0.5",
 * "::ffff:10.0.0.5" → "10.0.0.5" (services/shared/address.ts hostOfAddress).
 */
export function clientHost(client: string): string {
  const host = hostOfAddress(client);
  const m = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(host);
  return m ? m[1]! : host;
}
