import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyslogReceiver, type SyslogLine } from '../../../services/syslog/server.js';

function receiver(opts: { maxSenders?: number } = {}) {
  let now = 1_000_000;
  const lines: SyslogLine[] = [];
  const r = new SyslogReceiver({ report: (l) => lines.push(l), now: () => now, ...opts });
  const send = (from: string, s: string | Buffer) =>
    r.ingest(from, Buffer.isBuffer(s) ? s : Buffer.from(s), 'udp');
  return { r, lines, send, tick: (ms: number) => (now += ms) };
}

test('a 127-character part is joined with the sender\'s next message (facts 2: progress tail + " ok")', () => {
  const { lines, send } = receiver();
  const head =
    'http://10.77.0.1:8090/images/ubuntu-24.04.1-live-server-amd64/casper/netboot/amd64/hwe-24.04/vmlinuz... 13% [ 88% from 1 peers]';
  assert.equal(head.length, 127);
  send('10.77.0.101', `<6>pc01.lab.example ipxe: ${head}`);
  send('10.77.0.102', '<6>pc02 ipxe:  ok'); // another machine in between does not disturb the join
  assert.equal(lines.length, 1);
  send('10.77.0.101', '<6>pc01.lab.example ipxe:  ok');
  assert.equal(lines.length, 2);
  assert.equal(lines[1]!.text, `${head} ok`);
  assert.equal(lines[1]!.parts, 2);
  assert.equal(lines[1]!.hostname, 'pc01.lab.example');
});

test('a held part is reported alone when nothing follows in time', () => {
  const { r, lines, send, tick } = receiver();
  send('10.0.0.9', `<6>ipxe: ${'a'.repeat(127)}`);
  assert.equal(lines.length, 0);
  tick(5000);
  r.flushExpired();
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.text.length, 127);
});

test('client text is cleaned: control bytes and escapes removed, the leading space kept', () => {
  const { lines, send } = receiver();
  send('10.0.0.9', '<6>pc\x1b[31m01 ipxe:  ok\x07');
  send('10.0.0.9', '<6>ipxe: bad \x00text');
  assert.equal(lines[0]!.text, ' ok');
  assert.equal(lines[0]!.hostname, 'pc[31m01');
  assert.equal(lines.length, 1); // NUL: binary, dropped
});

test('senders are bounded: the longest idle is forgotten; drops are counted by reason', () => {
  const { r, send } = receiver({ maxSenders: 16 });
  for (let i = 0; i < 100; i++) send(`10.0.${i >> 8}.${i & 255}`, `<6>ipxe: line ${i}`);
  assert.equal(r.senderCount, 16);
  send('10.1.1.1', 'garbage');
  send('10.1.1.1', '<999>x');
  assert.deepEqual(r.drops, { 'no-pri': 1, 'bad-pri': 1 });
  assert.equal(r.lines, 100);
});

test('random bytes never throw', () => {
  const { r, send } = receiver();
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(rnd() * 300);
    const b = Buffer.alloc(len);
    for (let j = 0; j < len; j++) b[j] = Math.floor(rnd() * 256);
    if (rnd() < 0.3) b.write('<6>ipxe: ', 0);
    send(`10.2.0.${i % 50}`, b);
  }
  assert.equal(r.received, 5000);
  assert.ok(r.droppedTotal > 0);
});
