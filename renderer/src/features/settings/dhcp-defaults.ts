/**
 * Defaults a technician would otherwise have to work out, derived from the chosen interface's address
 * (pure, so unit tests check it against the DHCP server's own `defaultPool` in services/dhcp/allocator.ts).
 */
function toInt(ip: string): number {
  return ip.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}
function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The pool the DHCP server uses when none is set: .100–.199 of a /24 or larger, else the upper half. */
export function defaultPoolFor(address: string, netmask: string): { start: string; end: string } {
  const mask = toInt(netmask);
  const net = (toInt(address) & mask) >>> 0;
  const bcast = (net | (~mask >>> 0)) >>> 0;
  const size = bcast - net - 1;
  if (size >= 254) return { start: toIp(net + 100), end: toIp(net + 199) };
  return { start: toIp(net + 1 + Math.floor(size / 2)), end: toIp(bcast - 1) };
}

/** True when `ip` is on the same subnet as the interface. */
export function onSubnet(ip: string, address: string, netmask: string): boolean {
  const mask = toInt(netmask);
  return (toInt(ip) & mask) >>> 0 === (toInt(address) & mask) >>> 0;
}
