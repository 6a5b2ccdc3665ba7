import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePacket,
  DhcpDecodeError,
  encodePacket,
  macOf,
  macToChaddr,
  MAGIC_COOKIE,
  type DhcpPacket,
} from '../../../services/dhcp/codec.js';
import {
  decodeEncapsulated,
  encodeEncapsulated,
  readClientRequest,
  readUserClasses,
} from '../../../services/dhcp/options.js';
import { capture, loadCaptures } from './fixtures.js';

test('every captured firmware packet decodes, and re-encodes to the same bytes', () => {
  const all = loadCaptures();
  assert.ok(all.length >= 10, `expected the golden captures, found ${all.length}`);
  for (const c of all) {
    const raw = Buffer.from(c.hex, 'hex');
    const p = decodePacket(raw);
    const again = encodePacket(p, { minLength: raw.length });
    assert.equal(again.toString('hex'), c.hex, `${c.capture}#${c.index} round trip`);
    assert.deepEqual(decodePacket(again), p);
    const req = readClientRequest(p);
    assert.ok([1, 3].includes(req.messageType), `${c.capture}#${c.index} is DISCOVER or REQUEST`);
  }
});

test('QEMU SeaBIOS with the iPXE ROM: BIOS arch 0, user class iPXE, option 175 features', () => {
  const req = readClientRequest(decodePacket(capture('seabios-ipxe-rom', 0)));
  assert.equal(req.mac, '52:54:00:12:34:56');
  assert.equal(req.messageType, 1);
  assert.equal(req.arch, 0);
  assert.equal(req.vendorClass, 'PXEClient:Arch:00000:UNDI:002001');
  assert.deepEqual(req.userClasses, ['iPXE']);
  assert.equal(req.isIpxe, true);
  assert.ok(req.ipxeFeatures.includes(19), 'HTTP feature 175.19');
  assert.ok(req.paramList.includes(175) && req.paramList.includes(7));
});

test("OVMF's own PXE client: x64 UEFI arch 7, no iPXE markers, UUID option 97", () => {
  const req = readClientRequest(decodePacket(capture('ovmf-pxe', 3)));
  assert.equal(req.arch, 7);
  assert.equal(req.isIpxe, false);
  assert.equal(req.isPxe, true);
  assert.match(req.vendorClass ?? '', /^PXEClient:Arch:00007:UNDI:003001$/);
  assert.equal(req.uuid?.length, 17, 'option 97: type byte + 16-byte GUID');
});

test('iPXE 2.x built from source (BIOS ipxe.lkrn, x64 ipxe.efi): arch, iPXE markers, 175.235 version 2.x', () => {
  const expected: [string, number, string, number[]][] = [
    // name, arch, option 60, 175.177 bus id: PCI 1af4:1000 (virtio-net) and 8086:100e (e1000), native drivers
    ['ipxe2-bios', 0, 'PXEClient:Arch:00000:UNDI:002001', [1, 0x1a, 0xf4, 0x10, 0x00]],
    ['ipxe2-efi', 7, 'PXEClient:Arch:00007:UNDI:003010', [1, 0x80, 0x86, 0x10, 0x0e]],
  ];
  for (const [name, arch, vendorClass, busId] of expected) {
    for (const [i, type] of [
      [0, 1],
      [1, 1],
      [2, 3],
    ] as const) {
      const p = decodePacket(capture(name, i));
      const req = readClientRequest(p);
      assert.equal(req.messageType, type, `${name}#${i} DISCOVER, DISCOVER, REQUEST`);
      assert.equal(req.mac, '52:54:00:12:34:56');
      assert.equal(req.arch, arch, `${name}#${i} arch`);
      assert.equal(req.vendorClass, vendorClass);
      assert.deepEqual(req.userClasses, ['iPXE']);
      assert.equal(req.isIpxe, true);
      assert.ok(req.ipxeFeatures.includes(19), `${name}#${i} HTTP feature 175.19`);
      assert.ok(req.paramList.includes(175) && req.paramList.includes(67));
      const eb = decodeEncapsulated(p.options.get(175)!);
      assert.equal(eb.get(235)![0], 2, `${name}#${i} 175.235 major version`);
      assert.deepEqual([...eb.get(235)!], [2, 0, 0]);
      assert.deepEqual([...eb.get(177)!], busId);
    }
  }
  const features = (name: string): number[] =>
    readClientRequest(decodePacket(capture(name, 0))).ipxeFeatures.sort((a, b) => a - b);
  // BIOS also sends 175.16 = 2 (PXE API version), a value rather than a flag
  assert.deepEqual(features('ipxe2-bios'), [17, 18, 19, 21, 23, 24, 25, 27, 33, 34, 39]);
  assert.deepEqual(features('ipxe2-efi'), [17, 18, 19, 20, 21, 23, 27, 36, 38, 39]);
});

function bareRequest(): DhcpPacket {
  return {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x1234abcd,
    secs: 3,
    flags: 0x8000,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '10.1.2.3',
    chaddr: macToChaddr('02:00:00:aa:bb:cc'),
    sname: '',
    file: '',
    options: new Map([[53, Buffer.from([1])]]),
  };
}

test('fixed header fields survive a round trip', () => {
  const p = bareRequest();
  p.sname = 'srv';
  p.file = 'undionly.kpxe';
  const d = decodePacket(encodePacket(p));
  assert.deepEqual(d, p);
  assert.equal(macOf(d), '02:00:00:aa:bb:cc');
  assert.equal(encodePacket(p).length, 300, 'padded to the BOOTP minimum');
});

test('an option over 255 bytes is split and joined again (RFC 3396)', () => {
  const p = bareRequest();
  const long = Buffer.alloc(700, 7);
  p.options.set(43, long);
  const raw = encodePacket(p);
  assert.equal(raw[240 + 3], 43);
  assert.equal(raw[240 + 4], 255, 'first instance is 255 bytes');
  assert.deepEqual(decodePacket(raw).options.get(43), long);
});

test('option overload (52): options in the file and sname fields are read, in RFC 3396 order', () => {
  const raw = Buffer.alloc(300);
  raw[0] = 1;
  raw[1] = 1;
  raw[2] = 6;
  raw.writeUInt32BE(MAGIC_COOKIE, 236);
  // options field: 53=DISCOVER, 52=3 (file and sname), 12 "ab"
  Buffer.from([53, 1, 1, 52, 1, 3, 12, 2, 0x61, 0x62, 255]).copy(raw, 240);
  // file field: 12 "cd", 60 "PXEClient"
  Buffer.from([12, 2, 0x63, 0x64, 60, 9, ...Buffer.from('PXEClient'), 255]).copy(raw, 108);
  // sname field: 93 = 0x0007
  Buffer.from([93, 2, 0, 7, 255]).copy(raw, 44);
  const p = decodePacket(raw);
  assert.equal(p.options.get(12)!.toString(), 'abcd');
  assert.equal(p.file, '');
  assert.equal(p.sname, '');
  const req = readClientRequest(p);
  assert.equal(req.arch, 7);
  assert.equal(req.isPxe, true);
});

test('the encoder overloads into the file field when the client accepts only 576 bytes', () => {
  const p = bareRequest();
  for (let code = 200; code < 204; code++) p.options.set(code, Buffer.alloc(80, code));
  const raw = encodePacket(p, { maxLength: 576 });
  assert.ok(raw.length <= 576, `encoded ${raw.length} bytes`);
  const d = decodePacket(raw);
  for (let code = 200; code < 204; code++) assert.deepEqual(d.options.get(code), Buffer.alloc(80, code));
});

test('malformed packets throw DhcpDecodeError with a reason', () => {
  const good = encodePacket(bareRequest());
  const cases: [Buffer, string][] = [
    [good.subarray(0, 100), 'too-short'],
    [Buffer.concat([Buffer.from([9]), good.subarray(1)]), 'bad-op'],
    [
      (() => {
        const b = Buffer.from(good);
        b.writeUInt32BE(0, 236);
        return b;
      })(),
      'bad-cookie',
    ],
    [Buffer.concat([good.subarray(0, 240), Buffer.from([53, 1, 1, 12, 40, 0x41])]), 'truncated-option'],
    [Buffer.concat([good.subarray(0, 240), Buffer.from([53, 1, 1, 52, 1, 9, 255])]), 'bad-overload'],
    [
      (() => {
        const b = Buffer.from(good);
        b[2] = 200;
        return b;
      })(),
      'bad-htype',
    ],
  ];
  for (const [buf, reason] of cases) {
    assert.throws(
      () => decodePacket(buf),
      (e: unknown) => e instanceof DhcpDecodeError && e.reason === reason,
      reason,
    );
  }
  const noType = decodePacket(Buffer.concat([good.subarray(0, 240), Buffer.from([12, 1, 0x41, 255])]));
  assert.throws(() => readClientRequest(noType), DhcpDecodeError);
  const badArch = bareRequest();
  badArch.options.set(93, Buffer.from([0]));
  assert.throws(() => readClientRequest(badArch), DhcpDecodeError);
});

test('user class: bare "iPXE" and RFC 3004 length-prefixed lists', () => {
  assert.deepEqual(readUserClasses(Buffer.from('iPXE')), ['iPXE']);
  assert.deepEqual(readUserClasses(Buffer.from([4, ...Buffer.from('iPXE'), 3, ...Buffer.from('abc')])), [
    'iPXE',
    'abc',
  ]);
});

test('encapsulated options encode and decode (43, 175)', () => {
  const enc = encodeEncapsulated([
    [6, Buffer.from([8])],
    [176, Buffer.from([1])],
  ]);
  assert.deepEqual([...enc], [6, 1, 8, 176, 1, 1, 255]);
  const dec = decodeEncapsulated(enc);
  assert.deepEqual(dec.get(176), Buffer.from([1]));
  assert.throws(() => decodeEncapsulated(Buffer.from([6, 5, 1])), DhcpDecodeError);
});

test('the JSON fixtures are exactly the client packets in the raw captures', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { udpPayloads } = await import('../../fixtures/dhcp/pcap-to-fixtures.js');
  const { FIXTURE_DIR } = await import('./fixtures.js');
  for (const name of [
    'seabios-ipxe-rom',
    'ovmf-pxe',
    'ipxe-efi',
    'ipxe-lkrn-bios',
    'ipxe2-bios',
    'ipxe2-efi',
  ]) {
    const fromPcap = udpPayloads(readFileSync(join(FIXTURE_DIR, 'pcap', `${name}.pcap`)), name);
    const json = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as unknown[];
    assert.deepEqual(fromPcap, json, name);
  }
});
