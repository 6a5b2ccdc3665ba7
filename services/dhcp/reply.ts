import { BOOTREPLY, FLAG_BROADCAST, ipToBytes, type DhcpPacket } from './codec.js';
import { encodeEncapsulated, ips, MSG, OPT, text, u32, u8, type ClientRequest } from './options.js';
import type { BootDecision } from './policy.js';

/**
 * Builds OFFER/ACK/NAK packets (pure). Boot fields follow docs/ipxe-notes.md §7: iPXE boots from siaddr + file
 * (option 66 is not used by autoboot), firmware may read 66/67; 175.176=1 stops iPXE waiting 2 s for a
 * ProxyDHCP offer; proxy replies carry option 60 "PXEClient" and option 43 (PXE spec 2.1 §2.2.5).
 */

export interface AddressInfo {
  ip: string;
  leaseSeconds: number;
  subnetMask: string;
  router: string | null;
  dns: string[];
  domain: string | null;
  hostname?: string;
}

export interface ReplyInput {
  mode: 'full' | 'proxy';
  messageType: number;
  serverAddress: string;
  /** Full mode: the address granted. Proxy mode: none (yiaddr stays 0.0.0.0). */
  address?: AddressInfo;
  boot?: BootDecision;
  /** Bootlab's syslog address for option 7 (iPXE logs there), or null. */
  syslogAddress: string | null;
  /** pxelinux config file and path prefix (RFC 5071 options 209/210), when a pxelinux menu is in use. */
  pxelinux?: { configFile: string; pathPrefix: string } | null;
  message?: string;
}

/** PXE discovery control 43.6 = 8: "boot file name present: download it, no boot server discovery". */
export const PXE_VENDOR_OPTIONS = encodeEncapsulated([[6, u8(8)]]);

export function buildReply(req: DhcpPacket, client: ClientRequest, r: ReplyInput): DhcpPacket {
  const o = new Map<number, Buffer>();
  o.set(OPT.messageType, u8(r.messageType));
  o.set(OPT.serverId, ipToBytes(r.serverAddress));
  const a = r.address;
  if (a && r.messageType !== MSG.NAK) {
    o.set(OPT.leaseTime, u32(a.leaseSeconds));
    o.set(OPT.renewalTime, u32(Math.floor(a.leaseSeconds / 2)));
    o.set(OPT.rebindingTime, u32(Math.floor((a.leaseSeconds * 7) / 8)));
    o.set(OPT.subnetMask, ipToBytes(a.subnetMask));
    if (a.router) o.set(OPT.router, ipToBytes(a.router));
    if (a.dns.length) o.set(OPT.dns, ips(a.dns));
    if (a.domain) o.set(OPT.domain, text(a.domain));
    if (a.hostname) o.set(OPT.hostname, text(a.hostname));
  }
  if (r.message) o.set(OPT.message, text(r.message));
  const b = r.messageType === MSG.NAK ? undefined : r.boot;
  let file = '';
  let siaddr = '0.0.0.0';
  if (b) {
    siaddr = r.serverAddress;
    // The file field holds 128 bytes; a longer URL goes only in option 67 (iPXE prefers 67 anyway).
    file = Buffer.byteLength(b.file, 'latin1') < 128 ? b.file : '';
    if (client.isIpxe && r.syslogAddress) o.set(OPT.logServer, ipToBytes(r.syslogAddress));
    if (b.httpClient) o.set(OPT.vendorClass, text('HTTPClient'));
    else if (r.mode === 'proxy') o.set(OPT.vendorClass, text('PXEClient'));
    o.set(OPT.tftpServer, text(r.serverAddress));
    o.set(OPT.bootfile, text(b.file));
    if (r.mode === 'proxy' && !b.httpClient && !client.isIpxe) o.set(OPT.vendorSpecific, PXE_VENDOR_OPTIONS);
    // PXE spec 2.1 §2.2.5 / RFC 4578 §2.3: echo the client UUID to PXE clients.
    if (client.uuid && (client.isPxe || r.mode === 'proxy')) o.set(OPT.clientUuid, client.uuid);
    if (client.isIpxe) o.set(OPT.etherboot, encodeEncapsulated([[176, u8(1)]], false));
    if (r.pxelinux) {
      o.set(OPT.pxelinuxConfig, text(r.pxelinux.configFile));
      o.set(OPT.pxelinuxPrefix, text(r.pxelinux.pathPrefix));
    }
  }
  return {
    op: BOOTREPLY,
    htype: req.htype,
    hlen: req.hlen,
    hops: 0,
    xid: req.xid,
    secs: 0,
    flags: req.flags & FLAG_BROADCAST,
    ciaddr: r.messageType === MSG.ACK ? req.ciaddr : '0.0.0.0',
    yiaddr: a && r.messageType !== MSG.NAK ? a.ip : '0.0.0.0',
    siaddr,
    giaddr: req.giaddr,
    chaddr: Buffer.from(req.chaddr),
    sname: '',
    file,
    options: o,
  };
}

/** Where a reply goes (RFC 2131 §4.1): relay, renewing client, or broadcast on the interface. */
export function replyDestination(
  req: DhcpPacket,
  messageType: number,
  ports: { server: number; client: number },
): { address: string; port: number } {
  if (req.giaddr !== '0.0.0.0') return { address: req.giaddr, port: ports.server };
  if (messageType !== MSG.NAK && req.ciaddr !== '0.0.0.0') return { address: req.ciaddr, port: ports.client };
  // A client without an address cannot take a unicast IP packet until it has one, and Node cannot write the
  // ARP entry that unicasting to yiaddr needs: broadcast (allowed by RFC 2131 §4.1 for any client).
  return { address: '255.255.255.255', port: ports.client };
}
