/**
 * MS-PCCRR retrieval messages as iPXE sends and reads them (include/ipxe/pccrr.h, src/net/peerblk.c), all
 * big-endian. Request MSG_GETBLKS: header {version 1, type 3, length, algorithm}, segment {digest size, ID,
 * pad to 4}, ranges {count, (first, count)…}, VRF {length, data, pad}. Response: a 4-byte transport length,
 * then MSG_BLK: header {version 1, type 5, length, algorithm}, segment, block index, next index,
 * block {length, data}, VRF {length 0}, IV {size, bytes}. Data length 0 = "not here" (peerblk.c L919-925).
 */
export const MAGIC_PATH = '/116B50EB-ECE2-41ac-8429-9F9E963361B7/';
export const MSG_VERSION_1 = 1;
export const TYPE_GETBLKS = 3;
export const TYPE_BLK = 5;
export const ALG_PLAINTEXT = 0;
export const ALG_AES_128_CBC = 1;

export interface GetBlks {
  algorithm: number;
  segmentId: Buffer;
  ranges: { first: number; count: number }[];
}

const pad4 = (n: number): number => (4 - (n & 3)) & 3;

/** Parses MSG_GETBLKS; returns a reason string when it is not one. */
export function parseGetBlks(b: Buffer): GetBlks | string {
  if (b.length < 16 + 4) return 'too short';
  if (b.readUInt32BE(4) !== TYPE_GETBLKS) return `message type ${b.readUInt32BE(4)} is not GETBLKS`;
  const algorithm = b.readUInt32BE(12);
  const digestSize = b.readUInt32BE(16);
  if (digestSize === 0 || digestSize > 64) return 'bad segment ID size';
  let o = 20;
  if (b.length < o + digestSize + pad4(digestSize) + 4) return 'truncated segment ID';
  const segmentId = Buffer.from(b.subarray(o, o + digestSize));
  o += digestSize + pad4(digestSize);
  const count = b.readUInt32BE(o);
  o += 4;
  if (count === 0 || count > 64 || b.length < o + count * 8) return 'bad range list';
  const ranges: GetBlks['ranges'] = [];
  for (let i = 0; i < count; i++) {
    ranges.push({ first: b.readUInt32BE(o), count: b.readUInt32BE(o + 4) });
    o += 8;
  }
  return { algorithm, segmentId, ranges };
}

/** Builds a GETBLKS like iPXE's peerblk_retrieval_open() (for tests and the benchmark). */
export function buildGetBlks(segmentId: Buffer, block: number): Buffer {
  const len = 16 + 4 + segmentId.length + pad4(segmentId.length) + 4 + 8 + 4;
  const b = Buffer.alloc(len);
  b.writeUInt32BE(MSG_VERSION_1, 0);
  b.writeUInt32BE(TYPE_GETBLKS, 4);
  b.writeUInt32BE(len, 8);
  b.writeUInt32BE(ALG_AES_128_CBC, 12);
  b.writeUInt32BE(segmentId.length, 16);
  let o = 20 + segmentId.copy(b, 20) + pad4(segmentId.length);
  o = b.writeUInt32BE(1, o);
  o = b.writeUInt32BE(block, o);
  b.writeUInt32BE(1, o);
  return b;
}

/** The response body: transport length + MSG_BLK. `data` empty means the block is not held. */
export function buildMsgBlk(opts: {
  segmentId: Buffer;
  index: number;
  next: number;
  algorithm: number;
  data: Buffer;
  iv: Buffer;
}): Buffer {
  const { segmentId, data, iv } = opts;
  const msgLen =
    16 + 4 + segmentId.length + pad4(segmentId.length) + 4 + 4 + 4 + data.length + 4 + 4 + iv.length;
  const b = Buffer.alloc(4 + msgLen);
  let o = b.writeUInt32BE(msgLen, 0);
  o = b.writeUInt32BE(MSG_VERSION_1, o);
  o = b.writeUInt32BE(TYPE_BLK, o);
  o = b.writeUInt32BE(msgLen, o);
  o = b.writeUInt32BE(opts.algorithm, o);
  o = b.writeUInt32BE(segmentId.length, o);
  o += segmentId.copy(b, o) + pad4(segmentId.length);
  o = b.writeUInt32BE(opts.index, o);
  o = b.writeUInt32BE(opts.next, o);
  o = b.writeUInt32BE(data.length, o);
  o += data.copy(b, o);
  o = b.writeUInt32BE(0, o); // VRF: none
  o = b.writeUInt32BE(iv.length, o);
  iv.copy(b, o);
  return b;
}

/** Parses a MSG_BLK response (tests and the benchmark decrypt it like iPXE does). */
export function parseMsgBlk(b: Buffer): {
  index: number;
  data: Buffer;
  iv: Buffer;
  algorithm: number;
  segmentId: Buffer;
} {
  let o = 4;
  const algorithm = b.readUInt32BE(o + 12);
  o += 16;
  const ds = b.readUInt32BE(o);
  o += 4;
  const segmentId = b.subarray(o, o + ds);
  o += ds + pad4(ds);
  const index = b.readUInt32BE(o);
  o += 8;
  const dl = b.readUInt32BE(o);
  o += 4;
  const data = b.subarray(o, o + dl);
  o += dl;
  const vrf = b.readUInt32BE(o);
  o += 4 + vrf + pad4(vrf);
  const ivl = b.readUInt32BE(o);
  const iv = b.subarray(o + 4, o + 4 + ivl);
  return { index, data, iv, algorithm, segmentId };
}
