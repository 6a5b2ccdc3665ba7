import type { FieldProblem } from '../shared/errors.js';
import { intToIp, ipToInt } from './allocator.js';
import type { DhcpConfig } from './config.js';

/**
 * The DHCP settings checked against the chosen interface when they are saved (not when a client first
 * fails): the pool is ordered, lies inside the interface's subnet and leaves out the interface's own
 * address, the network and the broadcast address; reservations fit the subnet and no MAC or address is
 * reserved twice. Pure: the caller passes the interface's IPv4 addresses (none: subnet checks are skipped,
 * the interface may be unplugged). Every problem is returned at once, keyed by its profile path.
 */
export interface InterfaceAddress {
  address: string;
  netmask: string;
}

interface Subnet {
  net: number;
  broadcast: number;
  mask: number;
  address: string;
  netmask: string;
}

const subnetOf = (a: InterfaceAddress): Subnet => {
  const mask = ipToInt(a.netmask);
  const net = (ipToInt(a.address) & mask) >>> 0;
  return { net, mask, broadcast: (net | (~mask >>> 0)) >>> 0, address: a.address, netmask: a.netmask };
};

const cidrText = (s: Subnet): string =>
  `${intToIp(s.net)}/${s.mask.toString(2).replace(/0/g, '').length} (${s.address}, mask ${s.netmask})`;

export function dhcpSettingProblems(
  dhcp: DhcpConfig,
  iface: { name: string; ipv4: InterfaceAddress[] } | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const subnets = (iface?.ipv4 ?? []).map(subnetOf);
  const inside = (n: number): Subnet | undefined => subnets.find((s) => (n & s.mask) >>> 0 === s.net);
  const where = iface ? `${iface.name}'s network ${subnets.map(cidrText).join(' or ')}` : '';
  const ownAddress = (n: number): boolean => subnets.some((s) => ipToInt(s.address) === n);

  if (dhcp.pool) {
    const start = ipToInt(dhcp.pool.start);
    const end = ipToInt(dhcp.pool.end);
    if (end < start) {
      problems.push({
        field: 'dhcp.pool.end',
        message: `The pool ends (${dhcp.pool.end}) before it starts (${dhcp.pool.start}).`,
        hint: 'Swap the two addresses: the first address of the pool goes in Start, the last in End.',
      });
    }
    if (subnets.length > 0) {
      for (const key of ['start', 'end'] as const) {
        const n = ipToInt(dhcp.pool[key]);
        const s = inside(n);
        if (!s) {
          problems.push({
            field: `dhcp.pool.${key}`,
            message: `${dhcp.pool[key]} is not on ${where}, so clients could not use it.`,
            hint: `Use an address between ${intToIp(subnets[0]!.net + 1)} and ${intToIp(subnets[0]!.broadcast - 1)}.`,
          });
        } else if (n === s.net || n === s.broadcast) {
          problems.push({
            field: `dhcp.pool.${key}`,
            message: `${dhcp.pool[key]} is the ${n === s.net ? 'network' : 'broadcast'} address of ${where}; no machine can use it.`,
            hint: `Use an address between ${intToIp(s.net + 1)} and ${intToIp(s.broadcast - 1)}.`,
          });
        }
      }
      const own = subnets.find((s) => {
        const a = ipToInt(s.address);
        return start <= a && a <= end;
      });
      if (own && end >= start) {
        problems.push({
          field: 'dhcp.pool',
          message: `The pool ${dhcp.pool.start}–${dhcp.pool.end} contains this computer's own address ${own.address} on ${iface!.name}.`,
          hint: `Start the pool after ${own.address} or end it before, e.g. ${defaultAround(own)}.`,
        });
      }
    }
  }

  const macs = new Map<string, number>();
  const ips = new Map<string, number>();
  dhcp.reservations.forEach((r, i) => {
    const base = `dhcp.reservations.${i}`;
    const firstMac = macs.get(r.mac);
    if (firstMac !== undefined) {
      problems.push({
        field: `${base}.mac`,
        message: `${r.mac} already has a reservation (row ${firstMac + 1}).`,
        hint: 'Keep one reservation per machine: remove this row or change the other one.',
      });
    } else macs.set(r.mac, i);
    const firstIp = ips.get(r.ip);
    if (firstIp !== undefined) {
      problems.push({
        field: `${base}.ip`,
        message: `${r.ip} is already reserved for another machine (row ${firstIp + 1}).`,
        hint: 'Give each machine its own address.',
      });
    } else ips.set(r.ip, i);
    if (subnets.length > 0) {
      const n = ipToInt(r.ip);
      const s = inside(n);
      if (!s) {
        problems.push({
          field: `${base}.ip`,
          message: `${r.ip} is not on ${where}, so ${r.mac} could not use it.`,
          hint: `Reserve an address between ${intToIp(subnets[0]!.net + 1)} and ${intToIp(subnets[0]!.broadcast - 1)}.`,
        });
      } else if (n === s.net || n === s.broadcast || ownAddress(n)) {
        problems.push({
          field: `${base}.ip`,
          message: ownAddress(n)
            ? `${r.ip} is this computer's own address on ${iface!.name}.`
            : `${r.ip} is the ${n === s.net ? 'network' : 'broadcast'} address of ${where}.`,
          hint: 'Reserve another address of that network for this machine.',
        });
      }
    }
  });
  return problems;
}

/** A suggestion for a pool that avoids the interface's own address: .100–.199 of a /24, else above it. */
function defaultAround(s: Subnet): string {
  const own = ipToInt(s.address);
  const size = s.broadcast - s.net - 1;
  let start = size >= 254 ? s.net + 100 : own + 1;
  let end = size >= 254 ? s.net + 199 : s.broadcast - 1;
  if (own >= start && own <= end) {
    start = own + 1;
    end = Math.max(start, Math.min(s.broadcast - 1, start + 99));
  }
  return `${intToIp(start)}–${intToIp(end)}`;
}
