/**
 * The floor of Node's UDP path for the TFTP benchmark: the least a Node TFTP sender can do per packet.
 * The whole file sits in memory, every DATA packet is one preallocated buffer per block slot, and the only
 * per-packet work is "ACK arrives -> socket.send the next window". No streams, no timers, no events, no
 * retransmission (loopback does not lose). What Bootlab's TFTP costs above this line is Bootlab's; what
 * this line costs is Node's (libuv's recvmsg/sendmsg, the JS callback per datagram).
 * Usage: node bench/tftp-floor.ts <root> (prints "READY <port>", one transfer at a time per client port).
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? '.';
const files = new Map<string, Buffer>();
const main = createSocket('udp4');

function parseRrq(msg: Buffer): { file: string; options: Map<string, string> } | undefined {
  if (msg.readUInt16BE(0) !== 1) return undefined;
  const parts = msg.subarray(2).toString('latin1').split('\0');
  const options = new Map<string, string>();
  for (let i = 2; i + 1 < parts.length; i += 2) options.set(parts[i]!.toLowerCase(), parts[i + 1]!);
  return { file: parts[0]!, options };
}

function serve(rq: { file: string; options: Map<string, string> }, client: RemoteInfo): void {
  let data = files.get(rq.file);
  if (!data) {
    data = readFileSync(join(root, rq.file));
    files.set(rq.file, data);
  }
  const blksize = Number(rq.options.get('blksize') ?? 512);
  const windowsize = Number(rq.options.get('windowsize') ?? 1);
  const last = Math.floor(data.length / blksize) + 1;
  const sock = createSocket('udp4');
  const oack: string[] = [];
  for (const [k, v] of rq.options) {
    if (k === 'tsize') oack.push(k, String(data.length));
    else if (k === 'blksize' || k === 'windowsize' || k === 'timeout') oack.push(k, v);
  }
  // One packet buffer per slot in the window (reused), filled by copy from the in-memory file.
  const slots = Array.from({ length: windowsize }, () => Buffer.allocUnsafe(4 + blksize));
  const packet = (block: number): Buffer => {
    const slot = slots[block % windowsize]!;
    slot.writeUInt16BE(3, 0);
    slot.writeUInt16BE(block & 0xffff, 2);
    const start = (block - 1) * blksize;
    const n = data.copy(slot, 4, start, Math.min(start + blksize, data.length));
    return n === blksize ? slot : slot.subarray(0, 4 + n);
  };
  let base = 1;
  let started = oack.length === 0;
  const sendWindow = (): void => {
    for (let b = base; b < base + windowsize && b <= last; b++)
      sock.send(packet(b), client.port, client.address);
  };
  sock.on('message', (msg) => {
    if (msg.length < 4 || msg.readUInt16BE(0) !== 4) {
      sock.close();
      return;
    }
    const acked = msg.readUInt16BE(2);
    const k = base - 1 + ((acked - ((base - 1) & 0xffff)) & 0xffff);
    if (started && k >= last) {
      sock.close();
      return;
    }
    if (!started && acked === 0) {
      started = true; // ACK 0 answers the OACK (RFC 2347)
      sendWindow();
      return;
    }
    if (k === base - 1) {
      sendWindow(); // a duplicate ACK: the window's first block was lost, send it again
      return;
    }
    if (k < base) return;
    base = k + 1;
    sendWindow();
  });
  sock.bind(0, () => {
    if (oack.length > 0)
      sock.send(Buffer.from(`\0\x06${oack.join('\0')}\0`, 'latin1'), client.port, client.address);
    else sendWindow();
  });
}

main.on('message', (msg, rinfo) => {
  const rq = msg.length > 4 ? parseRrq(msg) : undefined;
  if (rq) serve(rq, rinfo);
});
main.bind(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${main.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
