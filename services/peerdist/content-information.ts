/**
 * MS-PCCRC Content Information version 1 (what iPXE parses in src/net/pccrc.c; layout in
 * include/ipxe/pccrc.h, all fields little-endian): SHA-256 (0x800C), 64 KiB blocks, 32 MiB segments.
 *
 *   header   u16 version 0x0100, u32 hash algorithm, u32 dwOffsetInFirstSegment (0),
 *            u32 dwReadBytesInLastSegment (0 = whole last segment), u32 segment count
 *   segments u64 offset, u32 length, u32 block size, HoD[32], Kp[32]   (one per segment)
 *   blocks   u32 block count, block hashes[32 each]                     (one list per segment)
 *
 * Block hash = SHA-256(block). HoD = SHA-256(block hashes of the segment, concatenated). Kp =
 * HMAC-SHA256(key = server secret Ks, HoD). Segment ID (HoHoDk) = HMAC-SHA256(key = Kp, HoD ‖
 * "MS_P2P_CACHING" in UTF-16LE WITH its terminating NUL; pccrc.h notes the spec is wrong there).
 *
 * The file is streamed (64 KiB reads, hashing as bytes arrive), so computing it for a large ISO yields to
 * the event loop between reads and never holds more than a block in memory. Results are cached by path,
 * size and mtime (a changed file gets new Content Information).
 */
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';

export const PCCRC_V1 = 0x0100;
export const HASH_SHA256 = 0x800c;
export const BLOCK_SIZE = 64 * 1024;
export const SEGMENT_SIZE = 32 * 1024 * 1024;
export const DIGEST = 32;
/** "MS_P2P_CACHING" as UTF-16LE including the terminating NUL (include/ipxe/pccrc.h). */
export const SEGMENT_ID_MAGIC = Buffer.from('MS_P2P_CACHING\0', 'utf16le');

export interface SegmentInfo {
  index: number;
  offset: number;
  length: number;
  blockSize: number;
  hod: Buffer;
  /** Segment secret Kp; its first 16 bytes are the AES-128 key for blocks sent by the hosted cache. */
  secret: Buffer;
  /** HoHoDk: what GETBLKS names the segment by. */
  id: Buffer;
  blockHashes: Buffer[];
}

export interface ContentInformation {
  path: string;
  size: number;
  mtimeMs: number;
  blocks: number;
  segments: SegmentInfo[];
  /** The encoded v1 structure (the response body for `Accept-Encoding: peerdist`). */
  blob: Buffer;
}

export function segmentId(hod: Buffer, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(hod).update(SEGMENT_ID_MAGIC).digest();
}

/** Streams `path` and computes its Content Information. `secret` is the server secret Ks. */
export async function computeContentInformation(path: string, secret: Buffer): Promise<ContentInformation> {
  const st = await fsp.stat(path);
  const segments: SegmentInfo[] = [];
  let blockHashes: Buffer[] = [];
  let segOffset = 0;
  let segLength = 0;
  let hash = createHash('sha256');
  let inBlock = 0;
  let total = 0;

  const endBlock = (): void => {
    blockHashes.push(hash.digest());
    hash = createHash('sha256');
    inBlock = 0;
  };
  const endSegment = (): void => {
    const hod = createHash('sha256').update(Buffer.concat(blockHashes)).digest();
    const kp = createHmac('sha256', secret).update(hod).digest();
    segments.push({
      index: segments.length,
      offset: segOffset,
      length: segLength,
      blockSize: BLOCK_SIZE,
      hod,
      secret: kp,
      id: segmentId(hod, kp),
      blockHashes,
    });
    segOffset += segLength;
    segLength = 0;
    blockHashes = [];
  };

  const stream = createReadStream(path, { highWaterMark: BLOCK_SIZE, end: st.size > 0 ? st.size - 1 : 0 });
  if (st.size > 0)
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length && total < st.size) {
        const take = Math.min(chunk.length - at, BLOCK_SIZE - inBlock, st.size - total);
        hash.update(take === chunk.length ? chunk : chunk.subarray(at, at + take));
        at += take;
        inBlock += take;
        total += take;
        segLength += take;
        if (inBlock === BLOCK_SIZE) endBlock();
        if (segLength === SEGMENT_SIZE) endSegment();
      }
    }
  else stream.destroy();
  if (inBlock > 0) endBlock();
  if (segLength > 0) endSegment();
  return {
    path,
    size: st.size,
    mtimeMs: st.mtimeMs,
    blocks: segments.reduce((n, s) => n + s.blockHashes.length, 0),
    segments,
    blob: encodeContentInformation(segments),
  };
}

export function encodeContentInformation(segments: SegmentInfo[]): Buffer {
  const size =
    18 +
    segments.length * (16 + 2 * DIGEST) +
    segments.reduce((n, s) => n + 4 + s.blockHashes.length * DIGEST, 0);
  const b = Buffer.alloc(size);
  let o = b.writeUInt16LE(PCCRC_V1, 0);
  o = b.writeUInt32LE(HASH_SHA256, o);
  o = b.writeUInt32LE(0, o); // dwOffsetInFirstSegment: the content starts at the file's start
  o = b.writeUInt32LE(0, o); // dwReadBytesInLastSegment: 0 = all of the last segment
  o = b.writeUInt32LE(segments.length, o);
  for (const s of segments) {
    o = b.writeBigUInt64LE(BigInt(s.offset), o);
    o = b.writeUInt32LE(s.length, o);
    o = b.writeUInt32LE(s.blockSize, o);
    o += s.hod.copy(b, o);
    o += s.secret.copy(b, o);
  }
  for (const s of segments) {
    o = b.writeUInt32LE(s.blockHashes.length, o);
    for (const h of s.blockHashes) o += h.copy(b, o);
  }
  return b;
}

/**
 * Content Information per file, computed once per (path, size, mtime) and shared by concurrent requests.
 * Bounded: at most `maxEntries` files (least recently used dropped), and `onEvict` lets the hosted cache
 * forget their segments.
 */
export class ContentInformationCache {
  private readonly entries = new Map<string, Promise<ContentInformation>>();

  constructor(
    private readonly secret: Buffer,
    private readonly maxEntries = 256,
    private readonly onReady: (info: ContentInformation) => void = () => {},
    private readonly onEvict: (info: ContentInformation) => void = () => {},
  ) {}

  async get(path: string): Promise<ContentInformation> {
    const st = await fsp.stat(path);
    const key = `${path}\0${st.size}\0${st.mtimeMs}`;
    let p = this.entries.get(key);
    if (p) {
      this.entries.delete(key);
      this.entries.set(key, p);
      return p;
    }
    p = computeContentInformation(path, this.secret).then((info) => {
      this.onReady(info);
      return info;
    });
    p.catch(() => this.entries.delete(key));
    this.entries.set(key, p);
    while (this.entries.size > this.maxEntries) {
      const [oldKey, old] = this.entries.entries().next().value as [string, Promise<ContentInformation>];
      this.entries.delete(oldKey);
      old.then(this.onEvict, () => {});
    }
    return p;
  }
}
