/**
 * Makes every icon the desktop packages need from the one drawing in assets/icons/bootlab.svg:
 *   build/icons/png/<N>x<N>.png   Linux (AppImage, .deb hicolor theme) and the window icon
 *   build/icons/icon.ico          Windows (exe, NSIS installer): BMP entries up to 128 px, PNG at 256 px
 *   build/icons/icon.icns         macOS (app bundle, dmg): PNG entries, 16 px to 1024 px
 *   build/icons/tray/tray-<state>.png (+ @2x)  the tray icon for stopped / running / failure
 * Generated, never committed (build/ is ignored): `npm run icons` (part of `npm run dist`) remakes them the
 * same way on any machine. SVG rendering is resvg (@resvg/resvg-js); ICO and ICNS are written here (both
 * are short directory formats) so no platform tool (iconutil, ImageMagick) is needed.
 * Formats: ICO = ICONDIR + ICONDIRENTRY (Microsoft "Icons" docs); ICNS = 'icns' + typed chunks
 * (Apple Icon Image format; ic07–ic14 / icp4–icp6 hold PNG data).
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS chunk type → pixel size (the @2x types hold double-size images). */
export const ICNS_TYPES: readonly (readonly [string, number])[] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
export type TrayState = 'stopped' | 'running' | 'failure';
/** The status dot drawn on the tray icon: grey stopped, green running, red failure. */
export const TRAY_DOT: Record<TrayState, string> = {
  stopped: '#9ca3af',
  running: '#22c55e',
  failure: '#ef4444',
};

export interface Raster {
  size: number;
  png: Buffer;
  /** Straight (not premultiplied) RGBA, row by row from the top. */
  rgba: Buffer;
}

export function render(svg: string | Buffer, size: number): Raster {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render();
  if (image.width !== size || image.height !== size) {
    throw new Error(`The icon drawing must be square; it rendered ${image.width}x${image.height}.`);
  }
  return { size, png: Buffer.from(image.asPng()), rgba: Buffer.from(image.pixels) };
}

/** A 32-bit BMP icon image (BITMAPINFOHEADER, bottom-up BGRA, then the 1-bit AND mask). */
function bmpIconImage(r: Raster): Buffer {
  const { size, rgba } = r;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR image + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2]!;
      pixels[to + 1] = rgba[from + 1]!;
      pixels[to + 2] = rgba[from]!;
      pixels[to + 3] = rgba[from + 3]!;
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskRow * size); // all zero: alpha channel decides
  header.writeUInt32LE(pixels.length + mask.length, 20);
  return Buffer.concat([header, pixels, mask]);
}

export function encodeIco(images: readonly Raster[]): Buffer {
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // 1 = icon
  dir.writeUInt16LE(images.length, 4);
  const bodies: Buffer[] = [];
  let offset = dir.length;
  images.forEach((img, i) => {
    // PNG-compressed entries only for 256 px (Windows Vista+); BMP below for every reader incl. NSIS.
    const body = img.size >= 256 ? img.png : bmpIconImage(img);
    const at = 6 + 16 * i;
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, at); // 0 means 256
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, at + 1);
    dir.writeUInt8(0, at + 2);
    dir.writeUInt8(0, at + 3);
    dir.writeUInt16LE(1, at + 4);
    dir.writeUInt16LE(32, at + 6);
    dir.writeUInt32LE(body.length, at + 8);
    dir.writeUInt32LE(offset, at + 12);
    offset += body.length;
    bodies.push(body);
  });
  return Buffer.concat([dir, ...bodies]);
}

export function encodeIcns(chunks: readonly { type: string; png: Buffer }[]): Buffer {
  const parts = chunks.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(total, 4);
  return Buffer.concat([head, ...parts]);
}

/** The app drawing with a status dot in the lower right corner (viewBox 0 0 64 64). */
export function traySvg(appSvg: string, state: TrayState): string {
  const inner = appSvg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">${inner}` +
    `<circle cx="50" cy="50" r="13" fill="${TRAY_DOT[state]}" stroke="#ffffff" stroke-width="3"/></svg>`
  );
}

export interface IconSet {
  dir: string;
  files: string[];
}

export function makeIcons(svgPath: string, outDir: string): IconSet {
  const svg = readFileSync(svgPath, 'utf8');
  const files: string[] = [];
  const write = (rel: string, data: Buffer) => {
    const path = join(outDir, rel);
    writeFileSync(path, data);
    files.push(rel);
  };
  mkdirSync(join(outDir, 'png'), { recursive: true });
  mkdirSync(join(outDir, 'tray'), { recursive: true });
  const bySize = new Map<number, Raster>();
  const raster = (size: number) => {
    let r = bySize.get(size);
    if (!r) bySize.set(size, (r = render(svg, size)));
    return r;
  };
  for (const size of PNG_SIZES) write(`png/${size}x${size}.png`, raster(size).png);
  write('icon.png', raster(512).png);
  write('icon.ico', encodeIco(ICO_SIZES.map((s) => raster(s))));
  write('icon.icns', encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: raster(size).png }))));
  for (const state of Object.keys(TRAY_DOT) as TrayState[]) {
    const drawing = traySvg(svg, state);
    write(`tray/tray-${state}.png`, render(drawing, 16).png);
    write(`tray/tray-${state}@2x.png`, render(drawing, 32).png);
  }
  return { dir: outDir, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = process.argv[2] ?? join(root, 'build', 'icons');
  const set = makeIcons(join(root, 'assets', 'icons', 'bootlab.svg'), out);
  console.log(`Wrote ${set.files.length} icon files to ${set.dir}`);
}
