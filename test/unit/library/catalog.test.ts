import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogSchema, isDownloadable } from '../../../services/library/catalog-model.js';
import { dearmor, findChecksum } from '../../../services/library/checksums.js';

test('the shipped catalog parses, and every downloadable item names its publisher checksum file', () => {
  const catalog = catalogSchema.parse(JSON.parse(readFileSync('assets/catalog/catalog.json', 'utf8')));
  const ids = catalog.items.map((i) => i.id);
  for (const want of [
    'memtest86plus',
    'systemrescue',
    'gparted',
    'clonezilla',
    'shredos',
    'debian-netboot',
    'ubuntu-server',
    'winpe',
    'netbootxyz',
  ]) {
    assert.ok(ids.includes(want), `${want} is in the catalog`);
  }
  for (const item of catalog.items) {
    if (isDownloadable(item)) {
      assert.ok(
        item.checksum && item.checksum.urls.every((u) => u.startsWith('https://')),
        `${item.id}: checksum over HTTPS`,
      );
      assert.ok(
        item.urls.every((u) => u.startsWith('https://')),
        `${item.id}: download over HTTPS`,
      );
    }
  }
  assert.equal(
    isDownloadable(catalog.items.find((i) => i.id === 'shredos')!),
    false,
    'no acceptable checksum: not offered',
  );
  assert.match(catalog.items.find((i) => i.id === 'netbootxyz')!.notes ?? '', /HTTPS.*Builder/);
});

test('checksum files: GNU and BSD forms, exact path before base name, one-hash files', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  const gnu = `${a}  ./netboot/gtk/mini.iso\n${b}  ./netboot/mini.iso\n`;
  assert.equal(findChecksum(gnu, './netboot/mini.iso', 'sha256'), b);
  assert.equal(findChecksum(`${a} *x.iso\n`, 'x.iso', 'sha256'), a);
  assert.equal(findChecksum(`SHA256 (x.iso) = ${a.toUpperCase()}\n`, 'x.iso', 'sha256'), a);
  assert.equal(findChecksum(`${a}\n`, 'whatever.iso', 'sha256'), a);
  // Clonezilla's CHECKSUMS.TXT lists MD5, SHA1, SHA256 sections: the hex length picks the algorithm.
  const mixed = `### MD5SUMS:\n${'c'.repeat(32)}  z.iso\n### SHA256SUMS:\n${a}  z.iso\n`;
  assert.equal(findChecksum(mixed, 'z.iso', 'sha256'), a);
  assert.equal(findChecksum(gnu, 'other.iso', 'sha256'), undefined);
  assert.equal(findChecksum(`${a}  x.iso\n`, 'x.iso', 'sha512'), undefined);
});

test('dearmor takes the packets out of an ASCII-armored key and leaves binary keys alone', () => {
  const payload = Buffer.from([0x99, 0x01, 0x02, 0x03, 0xff]);
  const armored = `-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\n${payload.toString('base64')}\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n`;
  assert.deepEqual(dearmor(Buffer.from(armored)), payload);
  assert.equal(dearmor(payload), undefined);
});

test('7-Zip listings: files and folders parsed; names that could climb out are dropped', async () => {
  const { parseSevenZipListing } = await import('../../../services/library/iso-files.js');
  const text = [
    'Path = /tmp/x.iso',
    'Type = Iso',
    '',
    '----------',
    'Path = casper',
    'Folder = +',
    'Size = 0',
    '',
    'Path = casper/vmlinuz',
    'Folder = -',
    'Size = 123',
    '',
    'Path = ../etc/passwd',
    'Folder = -',
    'Size = 1',
    '',
  ].join('\n');
  assert.deepEqual(parseSevenZipListing(text), [
    { path: 'casper', size: 0, folder: true },
    { path: 'casper/vmlinuz', size: 123, folder: false },
  ]);
});

test('catalog text from the network is cleaned and capped', () => {
  const item = catalogSchema.parse({
    format: 1,
    version: 'x',
    items: [
      {
        id: 'evil',
        name: 'Tool\u0007\u202Eevil\nname',
        description: 'x'.repeat(2000),
        homepage: 'https://example.invalid/',
        kind: 'chain',
        chainUrl: 'https://example.invalid/',
      },
    ],
  }).items[0]!;
  assert.equal(item.name, 'Toolevil name');
  assert.equal([...item.description].length, 500);
});
