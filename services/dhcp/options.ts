import { cleanOptional, TEXT_LIMITS } from '../core/clean-text.js';
import { bytesToIp, DhcpDecodeError, FLAG_BROADCAST, ipToBytes, macOf, type DhcpPacket } from './codec.js';

/** Option codes used by Bootlab (RFC 2132 unless noted). */
export const OPT = {
  subnetMask: 1,
  router: 3,
  dns: 6,
  logServer: 7,
  hostname: 12,
  domain: 15,
  broadcast: 28,
  vendorSpecific: 43,
  requestedIp: 50,
  leaseTime: 51,
  messageType: 53,
  serverId: 54,
  paramList: 55,
  message: 56,
  maxSize: 57,
  renewalTime: 58,
  rebindingTime: 59,
  vendorClass: 60,
  clientId: 61,
  tftpServer: 66,
  bootfile: 67,
  userClass: 77, // RFC 3004
  clientArch: 93, // RFC 4578 §2.1
  clientNdi: 94, // RFC 4578 §2.2
  clientUuid: 97, // RFC 4578 §2.3
  etherboot: 175, // iPXE encapsulated (include/ipxe/dhcp.h)
  pxelinuxConfig: 209, // RFC 5071
  pxelinuxPrefix: 210, // RFC 5071
} as const;

export const MSG = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;
export const MSG_NAMES: Record<number, string> = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
};

/** Encapsulated options (43, 175): code/length/value with PAD and END. Throws DhcpDecodeError when truncated. */
export function decodeEncapsulated(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  while (i < buf.length) {
    const code = buf[i]!;
    if (code === 0) {
      i += 1;
      continue;
    }
    if (code === 255) break;
    if (i + 1 >= buf.length || i + 2 + buf[i + 1]! > buf.length) {
      throw new DhcpDecodeError('bad-option', `encapsulated option ${code} is truncated`);
    }
    const len = buf[i + 1]!;
    const prev = out.get(code);
    const value = buf.subarray(i + 2, i + 2 + len);
    out.set(code, prev ? Buffer.concat([prev, value]) : Buffer.from(value));
    i += 2 + len;
  }
  return out;
}

export function encodeEncapsulated(entries: Iterable<[number, Buffer]>, withEnd = true): Buffer {
  const parts: Buffer[] = [];
  for (const [code, value] of entries) {
    if (value.length > 255) throw new RangeError(`encapsulated option ${code} is over 255 bytes`);
    parts.push(Buffer.from([code, value.length]), value);
  }
  if (withEnd) parts.push(Buffer.from([255]));
  return Buffer.concat(parts);
}

export const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
export const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
export const ips = (list: string[]): Buffer => Buffer.concat(list.map(ipToBytes));
export const text = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * RFC 3004 user class: a list of length-prefixed strings. iPXE sends the bare string "iPXE" instead
 * (docs/ipxe-notes.md §7), so both shapes are read.
 */
export function readUserClasses(buf: Buffer): string[] {
  const parsed: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const len = buf[i]!;
    if (len === 0 || i + 1 + len > buf.length) return [buf.toString('latin1')];
    parsed.push(buf.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  return parsed.length ? parsed : [buf.toString('latin1')];
}

/**
 * Why a request has no usable client identity, or undefined when it has one. Leases, rate limits and
 * offers are keyed by the hardware address, so a frame without a real unicast one gets nothing: hlen 0
 * (an empty MAC), a length that does not match Ethernet's (htype 1 needs hlen 6, RFC 1700 / RFC 2131
 * §2), an all-zero address, or a broadcast/multicast one (I/G bit of the first octet, IEEE 802).
 */
export function clientIdentityProblem(p: Pick<DhcpPacket, 'htype' | 'hlen' | 'chaddr'>): string | undefined {
  if (p.hlen === 0) return 'no-client-mac';
  if (p.htype === 1 && p.hlen !== 6) return 'bad-mac-length';
  const mac = p.chaddr.subarray(0, p.hlen);
  if (mac.every((b) => b === 0)) return 'zero-mac';
  if (p.htype === 1 && (mac[0]! & 1) === 1) return 'multicast-mac';
  return undefined;
}

/** Everything the policy and the lease logic need from one client request. */
export interface ClientRequest {
  mac: string;
  xid: number;
  messageType: number;
  /** First architecture in option 93 (RFC 4578: 0 BIOS, 6 IA32 EFI, 7/9 x64 EFI, 10 ARM32, 11 ARM64, 16 x64 HTTP). */
  arch?: number;
  vendorClass?: string;
  userClasses: string[];
  /** Option 77 is "iPXE" or option 175 is present: iPXE is already running (do not hand it iPXE again). */
  isIpxe: boolean;
  /** iPXE feature flags from option 175 (e.g. 19 HTTP, 20 HTTPS, 36 EFI, 39 Menu). */
  ipxeFeatures: number[];
  /** Option 60 starts with PXEClient: PXE firmware (or iPXE) that wants boot information. */
  isPxe: boolean;
  /** Option 60 starts with HTTPClient: UEFI HTTP boot (wants an http:// URL). */
  isHttpClient: boolean;
  uuid?: Buffer;
  clientId?: Buffer;
  hostname?: string;
  requestedIp?: string;
  serverId?: string;
  maxSize?: number;
  paramList: number[];
  ciaddr: string;
  giaddr: string;
  broadcast: boolean;
}

/** Reads a request's options into a ClientRequest. Throws DhcpDecodeError when a known option is malformed. */
export function readClientRequest(p: DhcpPacket): ClientRequest {
  const o = p.options;
  const mt = o.get(OPT.messageType);
  if (!mt || mt.length !== 1) throw new DhcpDecodeError('bad-option', 'no DHCP message type (option 53)');
  const archBuf = o.get(OPT.clientArch);
  if (archBuf && (archBuf.length < 2 || archBuf.length % 2 !== 0)) {
    throw new DhcpDecodeError(
      'bad-option',
      `option 93 must hold 2-byte architecture codes, has ${archBuf.length} bytes`,
    );
  }
  const ipOpt = (code: number): string | undefined => {
    const b = o.get(code);
    if (!b) return undefined;
    if (b.length !== 4) throw new DhcpDecodeError('bad-option', `option ${code} must be an IPv4 address`);
    return bytesToIp(b);
  };
  // Wire text is cleaned and capped before anything stores or shows it (core/clean-text.ts).
  const vendorClass = cleanOptional(o.get(OPT.vendorClass), TEXT_LIMITS.vendor);
  const userClasses = o.has(OPT.userClass) ? readUserClasses(o.get(OPT.userClass)!) : [];
  const eb = o.get(OPT.etherboot);
  const ipxeFeatures: number[] = [];
  if (eb) {
    for (const [code, value] of decodeEncapsulated(eb))
      if (value.length === 1 && value[0] === 1) ipxeFeatures.push(code);
  }
  const maxSize = o.get(OPT.maxSize);
  return {
    mac: macOf(p),
    xid: p.xid,
    messageType: mt[0]!,
    arch: archBuf ? archBuf.readUInt16BE(0) : undefined,
    vendorClass,
    userClasses,
    isIpxe: userClasses.includes('iPXE') || eb !== undefined,
    ipxeFeatures,
    isPxe: vendorClass?.startsWith('PXEClient') ?? false,
    isHttpClient: vendorClass?.startsWith('HTTPClient') ?? false,
    uuid: o.get(OPT.clientUuid),
    clientId: o.get(OPT.clientId),
    hostname: cleanOptional(o.get(OPT.hostname), TEXT_LIMITS.hostname),
    requestedIp: ipOpt(OPT.requestedIp),
    serverId: ipOpt(OPT.serverId),
    maxSize: maxSize && maxSize.length === 2 ? maxSize.readUInt16BE(0) : undefined,
    paramList: [...(o.get(OPT.paramList) ?? [])],
    ciaddr: p.ciaddr,
    giaddr: p.giaddr,
    broadcast: (p.flags & FLAG_BROADCAST) !== 0,
  };
}
