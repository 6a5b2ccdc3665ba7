import { Transform, type TransformCallback } from 'node:stream';

/**
 * netascii (RFC 1350 §1, RFC 764): LF becomes CR LF and a bare CR becomes CR NUL. Each input byte maps on
 * its own, so chunks convert independently. The converted size is unknown until the end, so netascii
 * transfers never answer tsize.
 */
export function toNetascii(input: Buffer): Buffer {
  let extra = 0;
  for (let i = 0; i < input.length; i++) if (input[i] === 0x0a || input[i] === 0x0d) extra++;
  if (extra === 0) return input;
  const out = Buffer.allocUnsafe(input.length + extra);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 0x0a) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    } else if (c === 0x0d) {
      out[o++] = 0x0d;
      out[o++] = 0x00;
    } else out[o++] = c;
  }
  return out;
}

export class NetasciiEncoder extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, toNetascii(chunk));
  }
}
