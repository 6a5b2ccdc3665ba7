import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Looks inside built iPXE images. BIOS images (.kpxe, .pxe, .lkrn) carry their payload as a raw LZMA1
 * stream (lc=2, lp=0, pb=0; src/util/zbin.c) preceded by its 32-bit length (which counts a trailing
 * CRC32); we find it by that length field and let xz decode it. EFI images are not compressed.
 */
export function biosPayload(path: string): Buffer {
  const buf = readFileSync(path);
  for (let o = 4; o < buf.length - 8; o++) {
    const len = buf.readUInt32LE(o - 4);
    if (len < 64 || o + len > buf.length || buf.length - (o + len) > 4096) continue;
    const r = spawnSync('xz', ['-dc', '--format=raw', '--lzma1=lc=2,lp=0,pb=0,dict=8MiB'], {
      input: buf.subarray(o, o + len - 4),
      maxBuffer: 1 << 26,
    });
    if (r.status === 0 && r.stdout.length > 4096) return r.stdout;
  }
  throw new Error(`${path}: no LZMA payload found (not a compressed BIOS iPXE image?)`);
}

/** The image's contents as text (latin1), decompressed for BIOS images. */
export function imageText(path: string): string {
  const bios = /\.(k*pxe|lkrn)$/.test(path);
  return (bios ? biosPayload(path) : readFileSync(path)).toString('latin1');
}
