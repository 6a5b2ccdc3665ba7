import { createSocket, type Socket } from 'node:dgram';
import {
  encodeAck,
  encodeError,
  encodeRequest,
  parsePacket,
  type TftpPacket,
} from '../../../services/tftp/codec.js';

/**
 * A scripted TFTP client for firmware quirks no packaged client reproduces (OVMF's size probe that ends
 * with an ERROR, iPXE's blksize=1432, raw names with NUL bytes). It only speaks what the test scripts.
 */
export class RawClient {
  readonly socket: Socket;
  private queue: { p: TftpPacket; port: number }[] = [];
  private waiter: (() => void) | undefined;
  private inFlight = 0;
  private closing = false;
  serverTid: number | undefined;

  private constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg, rinfo) => {
      this.queue.push({ p: parsePacket(msg), port: rinfo.port });
      this.waiter?.();
    });
  }

  static async open(host: string, port: number): Promise<RawClient> {
    const c = new RawClient(host, port);
    await new Promise<void>((r) => c.socket.bind(0, host, () => r()));
    return c;
  }

  /** Sends a request with raw bytes as the file name (latin1), so NUL and odd bytes go out unchanged. */
  request(kind: 'rrq' | 'wrq', filename: string, mode = 'octet', options: Record<string, string> = {}): void {
    this.out(encodeRequest(kind, filename, mode, options), this.port);
  }

  sendRaw(buf: Buffer, port = this.port): void {
    this.out(buf, port);
  }

  ack(block: number): void {
    this.out(encodeAck(block), this.serverTid!);
  }

  error(code: number, message: string): void {
    this.out(encodeError(code, message), this.serverTid!);
  }

  async next(timeoutMs = 5000): Promise<TftpPacket> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no packet from the server');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
      this.waiter = undefined;
    }
    const { p, port } = this.queue.shift()!;
    this.serverTid = port;
    return p;
  }

  /** Reads a whole file after the OACK/first DATA, ACKing each window of `windowsize` blocks. */
  async receive(blksize: number, windowsize: number, first?: TftpPacket, from = 1): Promise<Buffer> {
    const parts: Buffer[] = [];
    let expected = from;
    let inWindow = 0;
    let p = first ?? (await this.next());
    for (;;) {
      if (p.kind !== 'data')
        throw new Error(`expected DATA, got ${p.kind}${p.kind === 'error' ? ` ${p.message}` : ''}`);
      if (p.block === (expected & 0xffff)) {
        parts.push(Buffer.from(p.data));
        inWindow++;
        const last = p.data.length < blksize;
        if (last || inWindow === windowsize) {
          this.ack(expected);
          inWindow = 0;
        }
        if (last) return Buffer.concat(parts);
        expected++;
      }
      p = await this.next();
    }
  }

  /** dgram sends complete asynchronously: closing right after a send would drop that packet. */
  private out(buf: Buffer, port: number): void {
    this.inFlight++;
    this.socket.send(buf, port, this.host, () => {
      if (--this.inFlight === 0 && this.closing) this.socket.close();
    });
  }

  close(): void {
    this.closing = true;
    if (this.inFlight === 0) this.socket.close();
  }
}
