/**
 * The hosted cache's HTTP handler (MS-PCCRR over HTTP POST to the magic path; iPXE contacts it when its
 * `peerhost` setting names it, src/net/peerdisc.c, and never discovers peers then). Each GETBLKS asks for
 * one block; the answer is MSG_BLK with the block encrypted in AES-128-CBC under the segment secret's
 * first 16 bytes and a random IV, data zero-padded to the cipher block (iPXE rejects plaintext blocks:
 * the digest is only updated on its decrypt path, docs/ipxe-notes.md §3), or data length 0 when not held.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ALG_AES_128_CBC, MAGIC_PATH, buildMsgBlk, parseGetBlks } from './pccrr.js';
import type { PeerdistRegistry } from './registry.js';
import { hostOfAddress } from '../shared/address.js';

const MAX_REQUEST = 4096;

export interface HostedCacheCounters {
  requests: number;
  badRequests: number;
  blocksServed: number;
  notHeld: number;
}

/**
 * Open files, kept between requests (iPXE asks one block per request, up to 32 at once): opening the file
 * for every 64 KiB block cost more than encrypting it. Keyed by path and mtime, so a replaced file is
 * opened afresh; at most 16 kept, the oldest closed.
 */
class OpenFiles {
  private readonly handles = new Map<string, Promise<FileHandle>>();

  async read(path: string, mtimeMs: number, offset: number, length: number): Promise<Buffer> {
    const key = `${path}\0${mtimeMs}`;
    let fh = this.handles.get(key);
    if (!fh) {
      fh = fsp.open(path, 'r');
      fh.catch(() => this.handles.delete(key));
      this.handles.set(key, fh);
      if (this.handles.size > 16) {
        const [oldKey, old] = this.handles.entries().next().value as [string, Promise<FileHandle>];
        this.handles.delete(oldKey);
        // Close a little later: a read in flight may still use it.
        setTimeout(() => void old.then((h) => h.close()).catch(() => {}), 5000).unref();
      }
    }
    const buf = Buffer.alloc(length);
    const { bytesRead } = await (await fh).read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  }

  closeAll(): void {
    for (const fh of this.handles.values()) void fh.then((h) => h.close()).catch(() => {});
    this.handles.clear();
  }
}

export function encryptBlock(data: Buffer, secret: Buffer, iv: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / 16) * 16);
  data.copy(padded);
  const c = createCipheriv('aes-128-cbc', secret.subarray(0, 16), iv).setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]);
}

export function createHostedCacheServer(registry: PeerdistRegistry): {
  server: Server;
  counters: HostedCacheCounters;
} {
  const counters: HostedCacheCounters = { requests: 0, badRequests: 0, blocksServed: 0, notHeld: 0 };
  const files = new OpenFiles();
  const reply = (
    res: ServerResponse,
    status: number,
    body: Buffer | string,
    type = 'text/plain; charset=utf-8',
  ) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.requests++;
    const client = hostOfAddress(req.socket.remoteAddress);
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== MAGIC_PATH) {
      counters.badRequests++;
      return reply(res, 404, "This is Bootlab's PeerDist hosted cache: it only answers MS-PCCRR POSTs.\n");
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_REQUEST) {
        counters.badRequests++;
        return reply(res, 413, 'GETBLKS request too large.\n');
      }
      chunks.push(c);
    }
    const msg = parseGetBlks(Buffer.concat(chunks));
    if (typeof msg === 'string') {
      counters.badRequests++;
      return reply(res, 400, `Not a GETBLKS message: ${msg}.\n`);
    }
    const block = msg.ranges[0]!.first;
    const held = registry.lookup(msg.segmentId, block);
    const known = held ?? registry.segmentKnown(msg.segmentId);
    const iv = randomBytes(16);
    let data: Buffer = Buffer.alloc(0);
    if (held) {
      const s = held.segment;
      const start = s.offset + block * s.blockSize;
      const length = Math.min(s.blockSize, s.offset + s.length - start);
      data = encryptBlock(await files.read(held.info.path, held.info.mtimeMs, start, length), s.secret, iv);
      counters.blocksServed++;
    } else counters.notHeld++;
    if (known) registry.served(client, known.urlPath, Boolean(held));
    const body = buildMsgBlk({
      segmentId: msg.segmentId,
      index: block,
      next: block + 1,
      algorithm: ALG_AES_128_CBC,
      data,
      iv,
    });
    reply(res, 200, body, 'application/octet-stream');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      counters.badRequests++;
      if (!res.headersSent) reply(res, 500, 'The hosted cache could not read the block.\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('close', () => files.closeAll());
  return { server, counters };
}
