/**
 * DHCP/BOOTP packet codec: pure Buffer ⇄ object, no I/O. Options are kept raw (code → bytes) so every
 * option survives a round trip; typed readers live in options.ts.
 *
 * RFC 2131 §2 (fixed header), RFC 2132 §9.3 (option overload: options continue in `file`, then `sname`),
 * RFC 3396 (an option longer than 255 bytes, or repeated, is split into several instances that are
 * concatenated in order: options field, then file, then sname).
 */

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const MAGIC_COOKIE = 0x63825363;
/** Fixed header (236) + magic cookie (4). */
export const HEADER_LENGTH = 240;
/** RFC 1542 §3.4 / RFC 2131 §2: BOOTP relays and old clients expect at least 300 bytes. */
export const MIN_PACKET_LENGTH = 300;

export const OPT_PAD = 0;
export const OPT_END = 255;
export const OPT_OVERLOAD = 52;

export type DhcpDecodeReason =
  'too-short' | 'bad-op' | 'bad-htype' | 'bad-cookie' | 'truncated-option' | 'bad-overload' | 'bad-option';

/** A packet that is not valid DHCP. The server drops it and counts `reason`. */
export class DhcpDecodeError extends Error {
  constructor(
    readonly reason: DhcpDecodeReason,
    message: string,
  ) {
    super(message);
    this.name = 'DhcpDecodeError';
  }
}

export interface DhcpPacket {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client hardware address, the full 16-byte field. */
  chaddr: Buffer;
  sname: string;
  file: string;
  /** Options by code in first-seen order; repeated instances already concatenated (RFC 3396). */
  options: Map<number, Buffer>;
}

/** Broadcast bit of the flags field (RFC 2131 §2, figure 2). */
export const FLAG_BROADCAST = 0x8000;

export function macOf(p: Pick<DhcpPacket, 'chaddr' | 'hlen'>): string {
  const len = Math.min(Math.max(p.hlen, 0), 16);
  return [...p.chaddr.subarray(0, len)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function macToChaddr(mac: string): Buffer {
  const out = Buffer.alloc(16);
  Buffer.from(mac.replace(/[:-]/g, ''), 'hex').copy(out, 0, 0, 16);
  return out;
}

export function ipToBytes(ip: string): Buffer {
  const parts = ip.split('.').map((s) => Number(s));
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new RangeError(`not an IPv4 address: ${ip}`);
  }
  return Buffer.from(parts);
}

export function bytesToIp(buf: Buffer, offset = 0): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** A NUL-terminated (or padded) string field. */
function readCString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? buf.length : end).toString('latin1');
}

/** Walks one option area, appending each option's bytes to `into`. Returns the overload value seen, if any. */
function readOptionArea(area: Buffer, into: Map<number, Buffer[]>, where: string): void {
  let i = 0;
  while (i < area.length) {
    const code = area[i]!;
    if (code === OPT_PAD) {
      i += 1;
      continue;
    }
    if (code === OPT_END) return;
    if (i + 1 >= area.length)
      throw new DhcpDecodeError('truncated-option', `option ${code} in ${where} has no length byte`);
    const len = area[i + 1]!;
    if (i + 2 + len > area.length) {
      throw new DhcpDecodeError(
        'truncated-option',
        `option ${code} in ${where} claims ${len} bytes, ${area.length - i - 2} left`,
      );
    }
    const list = into.get(code) ?? [];
    list.push(area.subarray(i + 2, i + 2 + len));
    into.set(code, list);
    i += 2 + len;
  }
  // No END: tolerated (several ROMs end the options exactly at the packet end).
}

/** Decodes a DHCP packet. Throws DhcpDecodeError (never anything else) when the bytes are not DHCP. */
export function decodePacket(buf: Buffer): DhcpPacket {
  if (buf.length < HEADER_LENGTH)
    throw new DhcpDecodeError(
      'too-short',
      `packet is ${buf.length} bytes, DHCP needs at least ${HEADER_LENGTH}`,
    );
  const op = buf[0]!;
  if (op !== BOOTREQUEST && op !== BOOTREPLY)
    throw new DhcpDecodeError('bad-op', `op ${op} is neither request nor reply`);
  const hlen = buf[2]!;
  if (hlen > 16) throw new DhcpDecodeError('bad-htype', `hardware address length ${hlen} is over 16`);
  if (buf.readUInt32BE(236) !== MAGIC_COOKIE)
    throw new DhcpDecodeError('bad-cookie', 'no DHCP magic cookie (plain BOOTP or not DHCP)');

  const parts = new Map<number, Buffer[]>();
  readOptionArea(buf.subarray(HEADER_LENGTH), parts, 'options');
  const fileField = buf.subarray(108, 236);
  const snameField = buf.subarray(44, 108);
  const overload = parts.get(OPT_OVERLOAD);
  let overloadValue = 0;
  if (overload) {
    if (overload.length !== 1 || overload[0]!.length !== 1 || overload[0]![0]! < 1 || overload[0]![0]! > 3) {
      throw new DhcpDecodeError('bad-overload', 'option 52 (overload) must be one byte, 1 to 3');
    }
    overloadValue = overload[0]![0]!;
    // RFC 3396 §7: options field first, then file, then sname.
    if (overloadValue & 1) readOptionArea(fileField, parts, 'file');
    if (overloadValue & 2) readOptionArea(snameField, parts, 'sname');
  }
  const options = new Map<number, Buffer>();
  for (const [code, list] of parts) {
    if (code === OPT_OVERLOAD) continue;
    options.set(code, list.length === 1 ? Buffer.from(list[0]!) : Buffer.concat(list));
  }
  return {
    op,
    htype: buf[1]!,
    hlen,
    hops: buf[3]!,
    xid: buf.readUInt32BE(4),
    secs: buf.readUInt16BE(8),
    flags: buf.readUInt16BE(10),
    ciaddr: bytesToIp(buf, 12),
    yiaddr: bytesToIp(buf, 16),
    siaddr: bytesToIp(buf, 20),
    giaddr: bytesToIp(buf, 24),
    chaddr: Buffer.from(buf.subarray(28, 44)),
    sname: overloadValue & 2 ? '' : readCString(snameField),
    file: overloadValue & 1 ? '' : readCString(fileField),
    options,
  };
}

export interface EncodeOptions {
  /** Pad the packet with zeros to at least this many bytes (default 300, RFC 1542). */
  minLength?: number;
  /**
   * Largest packet the client accepts (option 57, at least 576). When the options do not fit, they
   * continue in the file and sname fields (option 52) if those are empty.
   */
  maxLength?: number;
}

function optionBytes(code: number, value: Buffer): Buffer[] {
  // RFC 3396 §5: split values over 255 bytes into consecutive instances of the same code.
  const out: Buffer[] = [];
  let off = 0;
  do {
    const chunk = value.subarray(off, off + 255);
    out.push(Buffer.from([code, chunk.length]), chunk);
    off += 255;
  } while (off < value.length);
  return out;
}

function writeCString(target: Buffer, offset: number, size: number, text: string, field: string): void {
  const bytes = Buffer.from(text, 'latin1');
  if (bytes.length > size) throw new RangeError(`${field} "${text}" is longer than ${size} bytes`);
  bytes.copy(target, offset);
}

/** Encodes a packet. Options go out in the map's order, each split per RFC 3396 when over 255 bytes. */
export function encodePacket(p: DhcpPacket, opts: EncodeOptions = {}): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header[0] = p.op;
  header[1] = p.htype;
  header[2] = p.hlen;
  header[3] = p.hops;
  header.writeUInt32BE(p.xid >>> 0, 4);
  header.writeUInt16BE(p.secs, 8);
  header.writeUInt16BE(p.flags, 10);
  ipToBytes(p.ciaddr).copy(header, 12);
  ipToBytes(p.yiaddr).copy(header, 16);
  ipToBytes(p.siaddr).copy(header, 20);
  ipToBytes(p.giaddr).copy(header, 24);
  p.chaddr.copy(header, 28, 0, 16);
  header.writeUInt32BE(MAGIC_COOKIE, 236);

  const chunks: Buffer[] = [];
  for (const [code, value] of p.options) {
    if (code === OPT_PAD || code === OPT_END || code === OPT_OVERLOAD) continue;
    chunks.push(...optionBytes(code, value));
  }
  let optionArea = Buffer.concat([...chunks, Buffer.from([OPT_END])]);
  const maxLength = Math.max(opts.maxLength ?? 1500, 576);
  let fileArea: Buffer | null = null;
  if (HEADER_LENGTH + optionArea.length > maxLength && !p.file && !p.sname) {
    // RFC 2132 §9.3: overload into file (128) and sname (64). Keep whole options per area.
    const room = maxLength - HEADER_LENGTH - 3 /* 52,1,v */ - 1; /* END */
    const main: Buffer[] = [];
    const rest: Buffer[] = [];
    let used = 0;
    for (let i = 0; i < chunks.length; i += 2) {
      const size = chunks[i]!.length + chunks[i + 1]!.length;
      if (rest.length === 0 && used + size <= room) {
        main.push(chunks[i]!, chunks[i + 1]!);
        used += size;
      } else rest.push(chunks[i]!, chunks[i + 1]!);
    }
    const overflow = Buffer.concat([...rest, Buffer.from([OPT_END])]);
    if (overflow.length <= 128) {
      fileArea = overflow;
      optionArea = Buffer.concat([...main, Buffer.from([OPT_OVERLOAD, 1, 1, OPT_END])]);
    }
  }
  if (fileArea) fileArea.copy(header, 108);
  else {
    writeCString(header, 44, 64, p.sname, 'sname');
    writeCString(header, 108, 128, p.file, 'file');
  }
  const total = Math.max(HEADER_LENGTH + optionArea.length, opts.minLength ?? MIN_PACKET_LENGTH);
  const out = Buffer.alloc(total);
  header.copy(out, 0);
  optionArea.copy(out, HEADER_LENGTH);
  return out;
}

/**
 * A client BOOTREQUEST (op 1, Ethernet, no addresses yet) with the given options; `fields` overrides any
 * header field (flags, ciaddr, giaddr…). Used by the probe, the benchmark's simulated clients and tests.
 */
export function clientRequest(
  mac: string,
  xid: number,
  options: Iterable<[number, Buffer]>,
  fields: Partial<DhcpPacket> = {},
): DhcpPacket {
  return {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid,
    secs: 0,
    flags: 0,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr: macToChaddr(mac),
    sname: '',
    file: '',
    options: new Map(options),
    ...fields,
  };
}
