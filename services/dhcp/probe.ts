import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { bindUdp, closeUdp } from '../net/sockets.js';
import { clientRequest, decodePacket, encodePacket, FLAG_BROADCAST } from './codec.js';
import { MSG, OPT, text, u8 } from './options.js';
import type { ProbeResult, ProbeServer } from './views.js';
export type { ProbeResult, ProbeServer } from './views.js';

/**
 * Looks for other DHCP servers on the interface: broadcasts a DISCOVER (broadcast flag set, so answers are
 * broadcast too) once a second and collects OFFERs for its xid. Sent from a socket bound to the interface
 * address, so Linux sends the limited broadcast out of that interface even when the default route is
 * elsewhere (route.c: a broadcast with a bound source address leaves through the device owning it).
 */

export interface ProbeOptions {
  interfaceAddress: string;
  mac: string | null;
  serverPort: number;
  clientPort: number;
  seconds: number;
}

export function discoverPacket(mac: string, xid: number, giaddr?: string): Buffer {
  return encodePacket(
    clientRequest(
      mac,
      xid,
      [
        [OPT.messageType, u8(MSG.DISCOVER)],
        [OPT.hostname, text('bootlab-probe')],
        [OPT.paramList, Buffer.from([1, 3, 6, 54])],
      ],
      { flags: FLAG_BROADCAST, hops: giaddr ? 1 : 0, giaddr: giaddr ?? '0.0.0.0' },
    ),
  );
}

/** Probes for `seconds` and resolves with every server that answered (none: the wire is free for full mode). */
export async function probeDhcpServers(o: ProbeOptions): Promise<ProbeResult> {
  const mac = o.mac ?? `02:${[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  const xid = randomBytes(4).readUInt32BE(0);
  const found = new Map<string, ProbeServer>();
  const sockets: Socket[] = [];
  let relay = false;
  try {
    const rx = await bindUdp({
      service: 'DHCP probe',
      address: '0.0.0.0',
      port: o.clientPort,
      reuseAddr: true,
      broadcast: true,
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'PORT_IN_USE') throw err;
      return null; // the host's own DHCP client holds port 68 exclusively: probe as a relay agent instead
    });
    if (rx) sockets.push(rx);
    relay = rx === null;
    // Relay probe (RFC 1542 §4.1): giaddr = our address, so servers answer unicast to <addr>:<server port>.
    const tx = await bindUdp({
      service: 'DHCP probe',
      address: o.interfaceAddress,
      port: relay ? o.serverPort : o.clientPort,
      reuseAddr: true,
      broadcast: true,
    });
    sockets.push(tx);
    const onMessage = (buf: Buffer, rinfo: { address: string }): void => {
      try {
        const p = decodePacket(buf);
        const type = p.options.get(OPT.messageType)?.[0];
        if (p.op !== 2 || p.xid !== xid || type !== MSG.OFFER || rinfo.address === o.interfaceAddress) return;
        const sid = p.options.get(OPT.serverId);
        const serverId = sid?.length === 4 ? [...sid].join('.') : undefined;
        const proxy = p.yiaddr === '0.0.0.0';
        found.set(`${serverId ?? rinfo.address}/${proxy}`, {
          address: rinfo.address,
          serverId,
          offeredIp: proxy ? undefined : p.yiaddr,
          proxy,
        });
      } catch {
        /* not DHCP: ignore */
      }
    };
    rx?.on('message', onMessage);
    tx.on('message', onMessage);
    const packet = discoverPacket(mac, xid, relay ? o.interfaceAddress : undefined);
    const deadline = Date.now() + o.seconds * 1000;
    while (Date.now() < deadline) {
      await new Promise<void>((resolve) => tx.send(packet, o.serverPort, '255.255.255.255', () => resolve()));
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
      if ([...found.values()].some((s) => !s.proxy)) break; // one address server is enough to decide
    }
  } finally {
    await Promise.all(sockets.map((s) => closeUdp(s)));
  }
  return { servers: [...found.values()], seconds: o.seconds, interfaceAddress: o.interfaceAddress, relay };
}

/** One sentence about a probe, for the StartResult summary and the UI. */
export function describeProbe(r: ProbeResult): string {
  const servers = r.servers.filter((s) => !s.proxy);
  if (servers.length === 0) return `no other DHCP server answered within ${r.seconds} s`;
  return `${servers.map((s) => s.serverId ?? s.address).join(', ')} already hands out addresses (offered ${servers[0]!.offeredIp})`;
}
