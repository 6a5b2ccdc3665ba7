import type { Socket, RemoteInfo } from 'node:dgram';
import { ERR, OP_ACK, OP_DATA, encodeError, encodeOack, parsePacket } from './codec.js';
import type { BlockSource } from './block-source.js';

/**
 * One read transfer on its own socket (RFC 1350 §4: each transfer gets a new TID = port).
 *
 * Sending (RFC 7440 windows; windowsize 1 is plain RFC 1350 lock-step):
 * - send blocks base .. base+windowsize-1, then wait for an ACK;
 * - ACK k within what was sent: k+1 becomes base, and a new window starts there. An ACK in the middle of
 *   a window is the receiver saying "k+1 was lost" (RFC 7440 §4), so the rest is resent from k+1;
 * - an ACK that does not advance (duplicate) never triggers a burst with windowsize 1 — that is the
 *   Sorcerer's Apprentice bug (RFC 1123 §4.2.3.1). With windows, a duplicate means the first block of the
 *   window was lost: it is answered at most once per base, so duplicates cannot multiply;
 * - timeout: resend the window from base, up to `retries` times in a row.
 * Loss control: the receiver ACKs only after a full window, so the window count cannot shrink without
 * stalling it. What shrinks is the burst: the window goes out in bursts of `burst` blocks with a short
 * pause between them; a timeout or duplicate ACK halves `burst`, each clean window grows it by one.
 */
export interface TransferOptions {
  socket: Socket;
  client: { address: string; port: number };
  source: BlockSource;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  /** Entries for the OACK; empty = start with DATA 1 at once. */
  oack: Map<string, string>;
  /** Pause between bursts when the burst is smaller than the window. */
  paceMs?: number;
}

export type TransferResult =
  | { result: 'ok' }
  | { result: 'aborted'; error: string; clientError?: { code: number; message: string } }
  | { result: 'timeout' | 'error'; error: string };

export class Transfer {
  /** Payload bytes the client acknowledged. */
  bytesAcked = 0;
  /** DATA/OACK packets sent again (timeouts and loss reports). */
  retransmits = 0;
  /** Packets from strangers or garbage on this transfer's port. */
  dropped = 0;
  done = false;
  /** True once the client acknowledged the OACK or the first block (used to spot duplicate requests). */
  started = false;

  private base = 1;
  private sentUpTo = 0; // highest block sent so far in this window
  private burst: number;
  private gen = 0;
  private tries = 0;
  private dupAnsweredForBase = 0;
  private inOack: boolean;
  private timer: NodeJS.Timeout | undefined;
  private timerDelay = 0;
  /** Packet buffers, one per window slot (sendData). */
  private readonly slots: Buffer[] = [];

  private resolveDone!: (r: TransferResult) => void;
  readonly finished: Promise<TransferResult>;

  constructor(private readonly o: TransferOptions) {
    this.burst = o.windowsize;
    this.inOack = o.oack.size > 0;

    this.finished = new Promise((r) => (this.resolveDone = r));
    o.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    o.socket.on('error', (err) => this.finish({ result: 'error', error: `socket error: ${err.message}` }));
  }

  start(): void {
    if (this.inOack) this.sendOack();
    else this.sendWindow();
  }

  /** Ends the transfer from outside (server stopping, request superseded), telling the client why. */
  abort(code: number, message: string): void {
    if (this.done) return;
    this.send(encodeError(code, message));
    this.finish({ result: 'aborted', error: message });
  }

  private sendOack(): void {
    this.send(encodeOack(this.o.oack));
    this.arm();
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.done) return;
    if (rinfo.address !== this.o.client.address || rinfo.port !== this.o.client.port) {
      // RFC 1350 §4: a packet from another TID gets an error and does not disturb the transfer.
      this.dropped++;
      this.o.socket.send(
        encodeError(ERR.unknownTid, 'Unknown transfer ID: this port belongs to another transfer.'),
        rinfo.port,
        rinfo.address,
      );
      return;
    }
    // The hot path: a well-formed ACK (RFC 1350 §5, opcode 4 + block) needs no general parse.
    if (msg.length === 4 && msg[0] === 0 && msg[1] === OP_ACK) {
      this.onAck(msg.readUInt16BE(2));
      return;
    }
    const p = parsePacket(msg);
    if (p.kind === 'error') {
      // OVMF aborts its size probe this way (after reading tsize from the OACK) and asks again.
      this.finish({
        result: 'aborted',
        error: `client ended the transfer: error ${p.code}${p.message ? ` "${p.message}"` : ''}`,
        clientError: { code: p.code, message: p.message },
      });
      return;
    }
    if (p.kind !== 'ack') {
      this.dropped++;
      return;
    }
    this.onAck(p.block);
  }

  private onAck(wire: number): void {
    if (this.inOack) {
      if (wire !== 0) {
        this.dropped++;
        return;
      }
      this.inOack = false;
      this.started = true;
      this.tries = 0;
      this.sendWindow();
      return;
    }
    // Map the 16-bit number into [base-1, sentUpTo] (rollover-safe: the window is far below 65536 blocks).
    const prev = this.base - 1;
    const delta = (wire - (prev & 0xffff)) & 0xffff;
    if (delta > this.sentUpTo - prev) {
      this.dropped++; // stale ACK from before the current base, or nonsense
      return;
    }
    const k = prev + delta;
    this.started = true;
    if (k === prev) {
      // Duplicate ACK: never with windowsize 1; once per base with windows (the first block was lost).
      if (this.o.windowsize === 1 || this.dupAnsweredForBase === this.base) return;
      this.dupAnsweredForBase = this.base;
      this.burst = Math.max(1, this.burst >> 1);
      this.sendWindow();
      return;
    }
    this.advance(k);
    if (this.o.source.last !== undefined && k >= this.o.source.last) {
      this.finish({ result: 'ok' });
      return;
    }
    const midWindow = k < this.sentUpTo;
    if (midWindow) {
      // The receiver saw a gap at k+1; its later out-of-order blocks will repeat ACK k: do not answer those.
      this.dupAnsweredForBase = this.base;
      this.burst = Math.max(1, this.burst >> 1);
    } else if (this.burst < this.o.windowsize) this.burst++;
    this.sendWindow();
  }

  private advance(k: number): void {
    for (let b = this.base; b <= k; b++) {
      this.bytesAcked +=
        b === this.o.source.last ? this.o.source.bytesRead - (b - 1) * this.o.blksize : this.o.blksize;
    }
    this.base = k + 1;
    this.o.source.release(k);
    this.tries = 0;
  }

  /**
   * Exponential backoff over consecutive timeouts (reset by progress), capped at 4 s or the base timeout.
   * Besides being kind to a congested link it lets a client's own timer fire: atftp answers a
   * retransmitted window with one extra ACK only, and if that ACK is lost it ignores further copies
   * and re-ACKs only when nothing arrives for its timeout. Steady retransmission would starve it.
   */
  private arm(): void {
    const delay = Math.min(
      this.o.timeoutMs * 2 ** Math.min(this.tries, 10),
      Math.max(this.o.timeoutMs, 4000),
    );
    // refresh() restarts the same timer: far cheaper than a new setTimeout for every ACK.
    if (this.timer && delay === this.timerDelay) {
      this.timer.refresh();
      return;
    }
    clearTimeout(this.timer);
    this.timerDelay = delay;
    this.timer = setTimeout(() => this.onTimeout(), delay);
  }

  private onTimeout(): void {
    if (this.done) return;
    this.tries++;
    if (this.tries > this.o.retries) {
      const what = this.inOack ? 'the option acknowledgement' : `block ${this.base}`;
      const msg = `no answer from the client after ${this.o.retries} retries (waiting for the ACK of ${what})`;
      this.send(encodeError(ERR.notDefined, 'Timed out waiting for ACK.'));
      this.finish({ result: 'timeout', error: msg });
      return;
    }
    this.burst = Math.max(1, this.burst >> 1);
    if (this.inOack) {
      this.retransmits++;
      this.sendOack();
    } else this.sendWindow();
  }

  /** Sends base .. base+windowsize-1 (or up to the last block) in bursts, then waits for the ACK. */
  private sendWindow(): void {
    const gen = ++this.gen;
    this.arm();
    this.sendFrom(this.base, gen, 0, false);
  }

  /**
   * Sends blocks b .. the window's end. Synchronous while the blocks are already cut (the common case:
   * the file stream reads ahead), so an ACK is answered inside its own 'message' callback with no promise
   * or extra turn of the event loop; it goes asynchronous only to wait for a read or a burst pause.
   */
  private sendFrom(b: number, gen: number, inBurst: number, waited: boolean): void {
    const src = this.o.source;
    const end = this.base + this.o.windowsize - 1;
    for (; b <= end; b++) {
      if (src.last !== undefined && b > src.last) break;
      const data = src.peek(b);
      if (data === undefined) {
        void this.readThenSend(b, gen, inBurst);
        return;
      }
      if (b <= this.sentUpTo) this.retransmits++;
      this.sendData(b, data);
      if (b > this.sentUpTo) this.sentUpTo = b;
      if (++inBurst >= this.burst && b < end && this.burst < this.o.windowsize) {
        const next = b + 1;
        setTimeout(() => {
          if (gen === this.gen && !this.done) this.sendFrom(next, gen, 0, true);
        }, this.o.paceMs ?? 1);
        return;
      }
    }
    // Restart the timer from the end of the burst: a slow disk must not eat the client's time.
    if (waited && gen === this.gen) this.arm();
  }

  private async readThenSend(b: number, gen: number, inBurst: number): Promise<void> {
    try {
      await this.o.source.get(b);
    } catch (err) {
      if (this.done) return;
      const message = `cannot read the file: ${(err as Error).message}`;
      this.send(encodeError(ERR.notDefined, 'Read error on the server.'));
      this.finish({ result: 'error', error: message });
      return;
    }
    if (gen === this.gen && !this.done) this.sendFrom(b, gen, inBurst, true);
  }

  private sendData(block: number, data: Buffer): void {
    // One contiguous packet per window slot, reused: Node's list send (header + payload) costs more per
    // datagram than copying the payload. Slot block % windowsize is written again only for block +
    // windowsize, which is sent after the client acknowledged block (so libuv has sent it), or for the
    // same block again (same bytes).
    const slot = (this.slots[block % this.o.windowsize] ??= Buffer.allocUnsafeSlow(4 + this.o.blksize));
    slot.writeUInt16BE(OP_DATA, 0);
    slot.writeUInt16BE(block & 0xffff, 2);
    data.copy(slot, 4);
    try {
      this.o.socket.send(
        data.length === this.o.blksize ? slot : slot.subarray(0, 4 + data.length),
        this.o.client.port,
        this.o.client.address,
      );
    } catch {
      /* socket already closed: the transfer is ending */
    }
  }

  private send(buf: Buffer): void {
    try {
      this.o.socket.send(buf, this.o.client.port, this.o.client.address);
    } catch {
      /* socket already closed */
    }
  }

  private finish(r: TransferResult): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.o.source.close();
    this.resolveDone(r);
  }
}
