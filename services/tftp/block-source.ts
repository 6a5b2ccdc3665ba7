import type { Readable } from 'node:stream';

/**
 * Cuts a stream into TFTP blocks and keeps only the blocks of the current window (for retransmission),
 * so memory per transfer is bounded by windowsize × blksize plus the stream's own read-ahead
 * (highWaterMark), whatever the file size. Blocks are numbered from 1 without wrapping; the 16-bit
 * number on the wire is block & 0xffff (rollover, used for files over 32 MiB at 512-byte blocks).
 */
export class BlockSource {
  private readonly iter: AsyncIterator<Buffer | string>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  /** Retained blocks: blocks[i] is block number first + i. */
  private blocks: Buffer[] = [];
  private first = 1;
  /** Number of the last block (the one shorter than blksize), once it has been read. */
  last: number | undefined;
  /** Bytes cut into blocks so far. */
  bytesRead = 0;

  constructor(
    private readonly stream: Readable,
    private readonly blksize: number,
  ) {
    this.iter = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  }

  /** Payload of block n (n ≥ the oldest retained block). Throws if the stream fails. */
  async get(n: number): Promise<Buffer> {
    if (n < this.first) throw new Error(`block ${n} was already released`);
    while (this.first + this.blocks.length <= n) {
      if (this.last !== undefined) throw new Error(`block ${n} is past the end (last is ${this.last})`);
      this.blocks.push(await this.cut());
    }
    return this.blocks[n - this.first]!;
  }

  /**
   * Block n without waiting: already cut, or cut now from bytes the stream has already delivered (the
   * common case: one 64 KiB read holds 44 blocks of 1468 bytes). Undefined when the stream must be read
   * first; then get(n). Keeping this synchronous is what lets transfer.ts answer an ACK inside its own
   * callback: through get() every block cost a promise chain (~14 µs of the 87 µs a lock-step block takes).
   */
  peek(n: number): Buffer | undefined {
    if (n < this.first) return undefined;
    while (this.first + this.blocks.length <= n) {
      if (this.last !== undefined) return undefined;
      if (this.pendingBytes < this.blksize && !this.ended) return undefined;
      this.blocks.push(this.takeBlock());
    }
    return this.blocks[n - this.first];
  }

  /** Forgets blocks up to and including n (the client acknowledged them). */
  release(n: number): void {
    const drop = Math.min(this.blocks.length, n - this.first + 1);
    if (drop <= 0) return;
    this.blocks.splice(0, drop);
    this.first += drop;
  }

  /** Blocks held for retransmission right now (for the memory bound tests). */
  get retainedBytes(): number {
    return this.blocks.reduce((a, b) => a + b.length, 0) + this.pendingBytes;
  }

  close(): void {
    this.stream.destroy();
    this.blocks = [];
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async cut(): Promise<Buffer> {
    while (this.pendingBytes < this.blksize && !this.ended) {
      const r = await this.iter.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    return this.takeBlock();
  }

  /** Cuts the next block from the bytes read so far (all of them at the end of the stream). */
  private takeBlock(): Buffer {
    const size = Math.min(this.blksize, this.pendingBytes);
    let block: Buffer;
    if (this.pending.length > 0 && this.pending[0]!.length >= size) {
      const head = this.pending[0]!;
      block = head.subarray(0, size);
      if (head.length === size) this.pending.shift();
      else this.pending[0] = head.subarray(size);
    } else {
      block = Buffer.allocUnsafe(size);
      let off = 0;
      while (off < size) {
        const head = this.pending[0]!;
        const take = Math.min(head.length, size - off);
        head.copy(block, off, 0, take);
        off += take;
        if (take === head.length) this.pending.shift();
        else this.pending[0] = head.subarray(take);
      }
    }
    this.pendingBytes -= size;
    this.bytesRead += size;
    const n = this.first + this.blocks.length;
    if (size < this.blksize) this.last = n;
    return block;
  }
}
