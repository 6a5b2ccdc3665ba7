import { promises as fsp } from 'node:fs';

/**
 * Reads the few fixed places of an ISO image that 7-Zip does not report: the primary volume descriptor's
 * volume id (ECMA-119 §8.4, sector 16) and the El Torito boot catalog (El Torito 1.0 §2: boot record
 * volume descriptor in sector 17, then the catalog's validation entry, default entry and section headers).
 * Reads at most a few 2 KiB sectors by offset; never the whole image.
 */

const SECTOR = 2048;

export interface ElToritoImage {
  /** 'bios' (platform 0, x86) or 'uefi' (platform 0xEF); other platforms are reported as 'other'. */
  platform: 'bios' | 'uefi' | 'other';
  /** 'no-emulation', 'floppy' (1.2/1.44/2.88 MB emulation) or 'hard-disk'. */
  media: 'no-emulation' | 'floppy' | 'hard-disk';
}

export interface IsoVolumeFacts {
  /** ISO 9660 volume identifier, trimmed ("" when blank). */
  volumeId: string;
  /** Boot images of the El Torito catalog; empty when the image is not bootable as a CD. */
  boot: ElToritoImage[];
}

export class NotAnIsoError extends Error {}

async function readAt(fh: fsp.FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

function cleanText(b: Buffer): string {
  // d-characters/a-characters are ASCII; anything else is dropped (the name is shown in menus).
  return b
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
}

function platformOf(id: number): ElToritoImage['platform'] {
  if (id === 0) return 'bios';
  if (id === 0xef) return 'uefi';
  return 'other';
}

function mediaOf(byte: number): ElToritoImage['media'] {
  const m = byte & 0x0f;
  if (m === 0) return 'no-emulation';
  if (m === 4) return 'hard-disk';
  return 'floppy';
}

/** Parses a boot catalog sector (pure, for unit tests). Malformed catalogs give an empty list. */
export function parseBootCatalog(cat: Buffer): ElToritoImage[] {
  if (cat.length < 64 || cat[0] !== 1 || cat[30] !== 0x55 || cat[31] !== 0xaa) return [];
  const images: ElToritoImage[] = [];
  const first = cat[32]!;
  if (first === 0x88) images.push({ platform: platformOf(cat[1]!), media: mediaOf(cat[33]!) });
  let off = 64;
  // Section headers: 0x90 (more follow) or 0x91 (last), each followed by its section entries.
  while (off + 32 <= cat.length) {
    const indicator = cat[off]!;
    if (indicator !== 0x90 && indicator !== 0x91) break;
    const platform = platformOf(cat[off + 1]!);
    const count = cat.readUInt16LE(off + 2);
    off += 32;
    for (let i = 0; i < count && off + 32 <= cat.length; i++, off += 32) {
      if (cat[off] === 0x88) images.push({ platform, media: mediaOf(cat[off + 1]!) });
    }
    if (indicator === 0x91) break;
  }
  return images;
}

export async function readIsoVolume(path: string): Promise<IsoVolumeFacts> {
  const fh = await fsp.open(path, 'r');
  try {
    const pvd = await readAt(fh, 16 * SECTOR, SECTOR);
    if (pvd.length < SECTOR || pvd[0] !== 1 || pvd.toString('latin1', 1, 6) !== 'CD001') {
      throw new NotAnIsoError('no ISO 9660 primary volume descriptor in sector 16');
    }
    const volumeId = cleanText(pvd.subarray(40, 72));
    // Volume descriptors follow until the terminator (type 255); the boot record (type 0) names the catalog.
    let boot: ElToritoImage[] = [];
    for (let s = 17; s < 32; s++) {
      const vd = await readAt(fh, s * SECTOR, SECTOR);
      if (vd.length < SECTOR || vd.toString('latin1', 1, 6) !== 'CD001' || vd[0] === 255) break;
      if (vd[0] === 0 && vd.toString('latin1', 7, 30) === 'EL TORITO SPECIFICATION') {
        const catalogSector = vd.readUInt32LE(0x47);
        boot = parseBootCatalog(await readAt(fh, catalogSector * SECTOR, SECTOR));
        break;
      }
    }
    return { volumeId, boot };
  } finally {
    await fh.close();
  }
}
