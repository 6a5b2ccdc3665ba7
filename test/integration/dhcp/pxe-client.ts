/**
 * A tiny PXE client for the proxy tests, built on Bootlab's codec, run inside a client namespace. argv[2] JSON:
 *   { packet: hex of a captured DISCOVER/REQUEST, mac, seconds,
 *     to?: "ip:port" (default 255.255.255.255:67), bind?: "ip:port" (default 0.0.0.0:68), ciaddr? }
 * Sends the packet (new xid, broadcast flag set) and prints one JSON line: every reply for that xid.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { decodePacket, encodePacket, FLAG_BROADCAST, macToChaddr } from '../../../services/dhcp/codec.js';

const a = JSON.parse(process.argv[2]!) as {
  packet: string;
  mac: string;
  seconds: number;
  to?: string;
  bind?: string;
  ciaddr?: string;
};
const p = decodePacket(Buffer.from(a.packet, 'hex'));
p.xid = randomBytes(4).readUInt32BE(0);
p.chaddr = macToChaddr(a.mac);
p.flags |= FLAG_BROADCAST;
if (a.ciaddr) p.ciaddr = a.ciaddr;
const [bindIp, bindPort] = (a.bind ?? '0.0.0.0:68').split(':');
const [toIp, toPort] = (a.to ?? '255.255.255.255:67').split(':');
const sock = createSocket({ type: 'udp4', reuseAddr: true });
const replies: Record<string, unknown>[] = [];
sock.on('message', (buf, rinfo) => {
  try {
    const r = decodePacket(buf);
    if (r.op !== 2 || r.xid !== p.xid) return;
    replies.push({
      from: rinfo.address,
      port: rinfo.port,
      type: r.options.get(53)?.[0],
      yiaddr: r.yiaddr,
      siaddr: r.siaddr,
      file: r.file,
      bootfile: r.options.get(67)?.toString().replace(/\0+$/, ''), // dnsmasq NUL-terminates 67
      vendorClass: r.options.get(60)?.toString(),
      has43: r.options.has(43),
      has175: r.options.has(175),
      opt175: r.options.get(175)?.toString('hex'),
      opt66: r.options.get(66)?.toString(),
    });
  } catch {
    /* ignore */
  }
});
sock.bind(Number(bindPort), bindIp, () => {
  sock.setBroadcast(true);
  sock.send(encodePacket(p), Number(toPort), toIp);
  setTimeout(() => {
    process.stdout.write(JSON.stringify(replies) + '\n');
    sock.close();
  }, a.seconds * 1000);
});
