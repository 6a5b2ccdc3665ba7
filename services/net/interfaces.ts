import { networkInterfaces } from 'node:os';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { BootlabError } from '../shared/errors.js';
import type { NetInterface } from '../shared/events.js';

/**
 * Lists network interfaces with name, MAC, IPv4 addresses and link state. os.networkInterfaces() omits
 * interfaces without addresses, so on Linux /sys/class/net fills in the rest (a cable plugged into a port
 * with no address yet is exactly what a technician needs to see).
 */
export function listInterfaces(): NetInterface[] {
  const byName = new Map<string, NetInterface>();
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const entry: NetInterface = { name, mac: null, up: true, ipv4: [], internal: false };
    for (const a of addrs ?? []) {
      if (a.mac && a.mac !== '00:00:00:00:00:00') entry.mac = a.mac;
      entry.internal = a.internal;
      if (a.family === 'IPv4')
        entry.ipv4.push({ address: a.address, netmask: a.netmask, cidr: a.cidr ?? '' });
    }
    byName.set(name, entry);
  }
  if (process.platform === 'linux') addLinuxDetails(byName);
  return [...byName.values()].sort(
    (a, b) => Number(a.internal) - Number(b.internal) || a.name.localeCompare(b.name),
  );
}

function addLinuxDetails(byName: Map<string, NetInterface>): void {
  let names: string[];
  try {
    names = readdirSync('/sys/class/net');
  } catch {
    return;
  }
  for (const name of names) {
    const entry = byName.get(name) ?? { name, mac: null, up: false, ipv4: [], internal: name === 'lo' };
    const mac = readSys(name, 'address');
    if (mac && mac !== '00:00:00:00:00:00') entry.mac = mac;
    // operstate is "up", "down", "unknown" (loopback, tun); flags bit 0 is IFF_UP.
    const oper = readSys(name, 'operstate');
    const flags = parseInt(readSys(name, 'flags') ?? '0', 16);
    entry.up = oper === 'up' || (oper === 'unknown' && (flags & 1) === 1);
    if (name === 'lo') entry.internal = true;
    byName.set(name, entry);
  }
  addAddressesOfLinksWithoutCarrier(byName);
}

/**
 * os.networkInterfaces() (libuv's uv_interface_addresses) leaves out every interface that is not both UP and
 * RUNNING, so a port whose cable is not plugged in yet, or a bridge with no port forwarding yet, seems to have
 * no address although it has one. iproute2 lists addresses whatever the carrier; where it is missing nothing
 * changes.
 */
function addAddressesOfLinksWithoutCarrier(byName: Map<string, NetInterface>): void {
  if (![...byName.values()].some((e) => e.ipv4.length === 0)) return;
  let links: { ifname?: string; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }[];
  try {
    const out = execFileSync('ip', ['-j', '-4', 'addr', 'show'], { encoding: 'utf8', timeout: 2_000 });
    links = JSON.parse(out) as typeof links;
  } catch {
    return;
  }
  for (const link of links) {
    const entry = link.ifname ? byName.get(link.ifname) : undefined;
    if (!entry || entry.ipv4.length > 0) continue;
    for (const a of link.addr_info ?? []) {
      if (a.family !== 'inet' || !a.local || a.prefixlen === undefined) continue;
      entry.ipv4.push({
        address: a.local,
        netmask: netmaskOf(a.prefixlen),
        cidr: `${a.local}/${a.prefixlen}`,
      });
    }
  }
}

function netmaskOf(prefix: number): string {
  const bits = prefix <= 0 ? 0 : (0xffffffff << (32 - Math.min(prefix, 32))) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
}

function readSys(name: string, file: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export interface ResolvedInterface {
  iface: NetInterface;
  address: string;
  netmask: string;
}

/** Finds the interface the boot services should listen on, or explains why it cannot be used. */
export function resolveInterface(
  name: string | null,
  interfaces: NetInterface[] = listInterfaces(),
): ResolvedInterface {
  if (!name) {
    throw new BootlabError(
      'INTERFACE_NOT_FOUND',
      'No network interface is chosen for the boot services.',
      `Choose the port the client machines are cabled to in Settings (or pass --interface NAME). Interfaces here: ${namesOf(interfaces)}.`,
    );
  }
  const iface = interfaces.find((i) => i.name === name);
  if (!iface) {
    throw new BootlabError(
      'INTERFACE_NOT_FOUND',
      `The network interface "${name}" does not exist (any more).`,
      `Plug the adapter back in, or choose another interface. Interfaces here: ${namesOf(interfaces)}.`,
      { interface: name },
    );
  }
  const first = iface.ipv4[0];
  if (!first) {
    throw new BootlabError(
      'INTERFACE_NO_IPV4',
      `The interface "${name}" has no IPv4 address, so clients could not reach Bootlab on it.`,
      process.platform === 'linux'
        ? `Give it a static address, e.g. sudo ip addr add 10.77.0.1/24 dev ${name} && sudo ip link set ${name} up, then press Start again.`
        : 'Give it a static IPv4 address in the network settings (e.g. 10.77.0.1, mask 255.255.255.0), then press Start again.',
      { interface: name },
    );
  }
  return { iface, address: first.address, netmask: first.netmask };
}

function namesOf(interfaces: NetInterface[]): string {
  return interfaces.map((i) => i.name).join(', ') || 'none';
}

/** Polls interfaces and calls back when anything a user would notice changes (no OS-neutral event exists). */
export function watchInterfaces(
  onChange: (interfaces: NetInterface[]) => void,
  intervalMs = 2000,
  list: () => NetInterface[] = listInterfaces,
): () => void {
  let last = JSON.stringify(list());
  const timer = setInterval(() => {
    const now = list();
    const key = JSON.stringify(now);
    if (key !== last) {
      last = key;
      onChange(now);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
