import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { Socket } from 'node:dgram';
import { BlockSource } from '../../../services/tftp/block-source.js';
import { Transfer } from '../../../services/tftp/transfer.js';
import { encodeAck, encodeError, parsePacket, type TftpPacket } from '../../../services/tftp/codec.js';

/** A fake socket: records what the transfer sends, lets the test inject what the client says. */
class FakeSocket extends EventEmitter {
  sent: TftpPacket[] = [];
  send(buf: Buffer | Buffer[]): void {
    this.sent.push(parsePacket(Array.isArray(buf) ? Buffer.concat(buf) : buf));
  }
  fromClient(buf: Buffer, port = 5000): void {
    this.emit('message', buf, { address: '10.0.0.2', port, family: 'IPv4', size: buf.length });
  }
  take(): TftpPacket[] {
    const s = this.sent;
    this.sent = [];
    return s;
  }
}

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));
const blocks = (ps: TftpPacket[]): number[] => ps.flatMap((p) => (p.kind === 'data' ? [p.block] : []));

function make(
  size: number,
  o: {
    blksize?: number;
    windowsize?: number;
    timeoutMs?: number;
    retries?: number;
    oack?: Map<string, string>;
  } = {},
) {
  const sock = new FakeSocket();
  const blksize = o.blksize ?? 512;
  const t = new Transfer({
    socket: sock as unknown as Socket,
    client: { address: '10.0.0.2', port: 5000 },
    source: new BlockSource(Readable.from([Buffer.alloc(size, 7)]), blksize),
    blksize,
    windowsize: o.windowsize ?? 1,
    timeoutMs: o.timeoutMs ?? 10_000,
    retries: o.retries ?? 3,
    oack: o.oack ?? new Map(),
    paceMs: 1,
  });
  return { sock, t };
}

test("windowsize 1: duplicate ACKs never cause duplicate DATA (Sorcerer's Apprentice)", async () => {
  const { sock, t } = make(512 * 5);
  t.start();
  await tick();
  assert.deepEqual(blocks(sock.take()), [1]);
  sock.fromClient(encodeAck(1));
  await tick();
  assert.deepEqual(blocks(sock.take()), [2]);
  for (let i = 0; i < 5; i++) sock.fromClient(encodeAck(1));
  await tick();
  assert.deepEqual(blocks(sock.take()), []);
  t.abort(0, 'test over');
});

test('windows: a duplicate ACK (first block lost) resends the window once per base, not per duplicate', async () => {
  const { sock, t } = make(512 * 40, { windowsize: 4 });
  t.start();
  await tick();
  assert.deepEqual(blocks(sock.take()), [1, 2, 3, 4]);
  sock.fromClient(encodeAck(4));
  await tick();
  assert.deepEqual(blocks(sock.take()), [5, 6, 7, 8]);
  sock.fromClient(encodeAck(4)); // block 5 lost
  sock.fromClient(encodeAck(4));
  sock.fromClient(encodeAck(4));
  await tick(20);
  assert.deepEqual(blocks(sock.take()).slice(0, 4), [5, 6, 7, 8]);
  assert.ok(t.retransmits >= 4);
  t.abort(0, 'test over');
});

test('windows: an ACK in the middle of a window restarts the window right after it (RFC 7440 §4)', async () => {
  const { sock, t } = make(512 * 40, { windowsize: 4 });
  t.start();
  await tick();
  sock.take();
  sock.fromClient(encodeAck(2)); // 3 was lost
  await tick(20);
  assert.deepEqual(blocks(sock.take()), [3, 4, 5, 6]);
  t.abort(0, 'test over');
});

test('block numbers roll over from 65535 to 0 and ACKs map back correctly', async () => {
  const total = 65540;
  const { sock, t } = make(total * 8 - 3, { blksize: 8, windowsize: 128 });
  t.start();
  const seq: number[] = [];
  let count = 0;
  while (!t.done) {
    await tick(0);
    const b = blocks(sock.take());
    if (b.length === 0) continue;
    for (const x of b) if (++count >= 65530 && count <= 65540) seq.push(x);
    sock.fromClient(encodeAck(b[b.length - 1]!));
  }
  assert.equal((await t.finished).result, 'ok');
  assert.deepEqual(seq, [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4]);
  assert.equal(t.bytesAcked, total * 8 - 3);
});

test('timeouts retransmit, then give up after the retry limit with an error packet', async () => {
  const { sock, t } = make(2000, { timeoutMs: 20, retries: 2 });
  t.start();
  const r = await t.finished;
  assert.equal(r.result, 'timeout');
  const sent = sock.take();
  assert.deepEqual(blocks(sent), [1, 1, 1]); // sent at 0, 20, 60 ms (backoff), given up at 140 ms
  assert.equal(sent[sent.length - 1]!.kind, 'error');
  assert.equal(t.retransmits, 2);
});

test('OACK: ACK 0 starts the data; an ERROR instead ends the transfer as aborted (OVMF size probe)', async () => {
  const oack = new Map([
    ['tsize', '2000'],
    ['blksize', '1468'],
  ]);
  const a = make(2000, { blksize: 1468, oack });
  a.t.start();
  await tick();
  assert.equal(a.sock.take()[0]!.kind, 'oack');
  a.sock.fromClient(encodeAck(0));
  await tick();
  assert.deepEqual(blocks(a.sock.take()), [1]);
  a.sock.fromClient(encodeAck(1));
  await tick();
  a.sock.fromClient(encodeAck(2));
  assert.equal((await a.t.finished).result, 'ok');

  const b = make(2000, { blksize: 1468, oack });
  b.t.start();
  b.sock.fromClient(encodeError(8, 'probe done'));
  const r = await b.t.finished;
  assert.equal(r.result, 'aborted');
});

test('a packet from another port gets "unknown TID" and the transfer carries on', async () => {
  const { sock, t } = make(600);
  t.start();
  await tick();
  sock.take();
  sock.fromClient(encodeAck(1), 6000);
  const e = sock.take();
  assert.ok(e[0]?.kind === 'error' && e[0].code === 5);
  sock.fromClient(encodeAck(1));
  await tick();
  sock.fromClient(encodeAck(2));
  assert.equal((await t.finished).result, 'ok');
});
