import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  parsePacket,
  ERR,
} from '../../../services/tftp/codec.js';
import { toNetascii } from '../../../services/tftp/netascii.js';

test('RRQ with options round-trips; option names are case-insensitive', () => {
  const buf = encodeRequest('rrq', 'Boot\\x64\\wdsnbp.com', 'OCTET', { BLKSIZE: '1432', tsize: '0' });
  const p = parsePacket(buf);
  assert.equal(p.kind, 'rrq');
  if (p.kind !== 'rrq') return;
  assert.equal(p.filename, 'Boot\\x64\\wdsnbp.com');
  assert.equal(p.mode, 'octet');
  assert.equal(p.options.get('blksize'), '1432');
  assert.equal(p.options.get('tsize'), '0');
});

test('DATA, ACK, ERROR and OACK round-trip; block numbers are 16-bit', () => {
  const d = parsePacket(encodeData(65536 + 7, Buffer.from('hi')));
  assert.deepEqual(d.kind === 'data' && [d.block, d.data.toString()], [7, 'hi']);
  const a = parsePacket(encodeAck(65535));
  assert.deepEqual(a, { kind: 'ack', block: 65535 });
  const e = parsePacket(encodeError(ERR.fileNotFound, 'File not found.'));
  assert.deepEqual(e, { kind: 'error', code: 1, message: 'File not found.' });
  const o = parsePacket(encodeOack({ blksize: '1468', windowsize: '4' }));
  assert.ok(o.kind === 'oack' && o.options.get('windowsize') === '4');
});

test('malformed packets come back as malformed, never throw', () => {
  const bad = [
    Buffer.alloc(0),
    Buffer.from([0]),
    Buffer.from([0, 1, 0x41]),
    Buffer.from([0, 1, 0x41, 0]), // filename without mode
    Buffer.from([0, 9, 0, 0]),
    Buffer.from([0xff, 0xff, 1, 2, 3]),
  ];
  for (const b of bad) assert.equal(parsePacket(b).kind, 'malformed', b.toString('hex'));
  for (let i = 0; i < 2000; i++) {
    const r = Buffer.from(Array.from({ length: (i % 40) + 1 }, () => Math.floor(Math.random() * 256)));
    assert.doesNotThrow(() => parsePacket(r));
  }
});

test('a NUL inside a name splits it: the rest becomes the mode (so it cannot smuggle a path)', () => {
  const p = parsePacket(Buffer.from('\x00\x01a.efi\x00../x\x00octet\x00', 'latin1'));
  assert.ok(p.kind === 'rrq' && p.filename === 'a.efi' && p.mode === '../x');
});

test('netascii: LF → CR LF, CR → CR NUL, other bytes unchanged', () => {
  assert.deepEqual(toNetascii(Buffer.from('a\nb\rc')), Buffer.from('a\r\nb\r\0c', 'latin1'));
  const plain = Buffer.from('no line ends');
  assert.equal(toNetascii(plain), plain);
});
