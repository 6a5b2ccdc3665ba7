/**
 * The icon set made by scripts/make-icons.ts from assets/icons/bootlab.svg, checked by decoding what was
 * written: PNG headers (IHDR), the ICO directory and its BMP/PNG images, the ICNS chunk list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICNS_TYPES, ICO_SIZES, makeIcons, PNG_SIZES, render } from '../../../scripts/make-icons.js';

const svg = fileURLToPath(new URL('../../../assets/icons/bootlab.svg', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(buf: Buffer): { width: number; height: number; colorType: number } {
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf.readUInt8(25) };
}

test('icon set: every PNG size, an ICO with BMP entries and a PNG 256, an ICNS with PNG chunks, tray states', () => {
  const out = mkdtempSync(join(tmpdir(), 'bootlab-icons-'));
  try {
    const set = makeIcons(svg, out);
    for (const size of PNG_SIZES) {
      const { width, height, colorType } = pngSize(readFileSync(join(out, 'png', `${size}x${size}.png`)));
      assert.deepEqual([width, height], [size, size]);
      assert.equal(colorType, 6, 'RGBA (transparent corners)');
    }
    assert.deepEqual(pngSize(readFileSync(join(out, 'icon.png'))).width, 512);

    const ico = readFileSync(join(out, 'icon.ico'));
    assert.equal(ico.readUInt16LE(0), 0);
    assert.equal(ico.readUInt16LE(2), 1, 'type icon');
    const count = ico.readUInt16LE(4);
    assert.equal(count, ICO_SIZES.length);
    let end = 6 + 16 * count;
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const size = ICO_SIZES[i]!;
      assert.equal(ico.readUInt8(at) || 256, size, `entry ${i} width`);
      assert.equal(ico.readUInt8(at + 1) || 256, size, `entry ${i} height`);
      assert.equal(ico.readUInt16LE(at + 6), 32, 'bits per pixel');
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      assert.equal(offset, end, 'images follow each other');
      end = offset + length;
      const image = ico.subarray(offset, offset + length);
      if (size === 256) {
        assert.deepEqual(pngSize(image).width, 256);
      } else {
        assert.equal(image.readUInt32LE(0), 40, 'BITMAPINFOHEADER');
        assert.equal(image.readInt32LE(4), size);
        assert.equal(image.readInt32LE(8), size * 2, 'height counts the AND mask');
        assert.equal(image.readUInt16LE(14), 32);
        const maskRow = Math.ceil(size / 32) * 4;
        assert.equal(length, 40 + size * size * 4 + maskRow * size);
        // Bottom-up BGRA: the BMP's first row is the picture's last row.
        const { rgba } = render(readFileSync(svg), size);
        const lastRow = (size - 1) * size * 4;
        for (const x of [0, Math.floor(size / 2), size - 1]) {
          const bmp = 40 + x * 4;
          assert.deepEqual(
            [image[bmp + 2], image[bmp + 1], image[bmp], image[bmp + 3]],
            [...rgba.subarray(lastRow + x * 4, lastRow + x * 4 + 4)],
            `pixel ${x} of the bottom row, ${size} px`,
          );
        }
      }
    }
    assert.equal(end, ico.length, 'nothing after the last image');

    const icns = readFileSync(join(out, 'icon.icns'));
    assert.equal(icns.toString('latin1', 0, 4), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const chunks: [string, number][] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const { width, height } = pngSize(icns.subarray(at + 8, at + length));
      assert.equal(width, height);
      chunks.push([type, width]);
      at += length;
    }
    assert.deepEqual(
      chunks,
      ICNS_TYPES.map(([t, s]) => [t, s]),
    );
    assert.ok(
      chunks.some(([t, s]) => t === 'ic10' && s === 1024),
      'the 1024 px (512@2x) image macOS wants',
    );

    for (const state of ['stopped', 'running', 'failure']) {
      assert.equal(pngSize(readFileSync(join(out, 'tray', `tray-${state}.png`))).width, 16);
      assert.equal(pngSize(readFileSync(join(out, 'tray', `tray-${state}@2x.png`))).width, 32);
    }
    // The three tray states are different pictures.
    const states = ['stopped', 'running', 'failure'].map((s) =>
      readFileSync(join(out, 'tray', `tray-${s}@2x.png`)).toString('base64'),
    );
    assert.equal(new Set(states).size, 3);
    assert.equal(set.files.length, PNG_SIZES.length + 3 + 6);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the same drawing gives the same files (reproducible, so nothing generated is committed)', () => {
  const a = mkdtempSync(join(tmpdir(), 'bootlab-icons-a-'));
  const b = mkdtempSync(join(tmpdir(), 'bootlab-icons-b-'));
  try {
    makeIcons(svg, a);
    makeIcons(svg, b);
    for (const f of ['icon.ico', 'icon.icns', 'png/256x256.png', 'tray/tray-running.png']) {
      assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
