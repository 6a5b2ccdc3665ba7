import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { resolveInBootRoot, splitRequestedPath, type BootRootRefusal } from '../core/boot-root.js';
import type { Runtime } from '../core/runtime.js';
import { ERR } from './codec.js';
import type { FileCache } from './file-cache.js';
import { NetasciiEncoder } from './netascii.js';

/**
 * Finds what a read request names: a virtual file (menu scripts, generated per client) first, then a real
 * file inside the boot root. Both come back as a stream plus size, so the transfer code never knows which.
 */
export type Opened =
  | { ok: true; name: string; size: number | undefined; stream: Readable; virtual: boolean }
  | { ok: false; code: number; reason: BootRootRefusal; message: string; clientMessage: string };

/** File streams read ahead at most this much (bounded memory per transfer). */
export const READ_AHEAD = 64 * 1024;
const READ_AHEAD_MAX = 256 * 1024;

/**
 * Read size for a transfer, from the blksize the client asked for: 32 blocks per read, between 64 and
 * 256 KiB. Each read is a thread-pool round trip plus stream work; at blksize 8192 a 64 KiB read held only
 * 8 blocks, and that cost showed as ~18 µs per block above Node's floor. PXE ROMs (1468 and below) keep
 * 64 KiB, so memory with hundreds of clients does not change.
 */
export function readAheadFor(requestedBlksize: string | undefined): number {
  const asked = Number(requestedBlksize);
  const blksize = Number.isInteger(asked) && asked >= 8 ? Math.min(asked, 65464) : 512;
  return Math.min(READ_AHEAD_MAX, Math.max(READ_AHEAD, blksize * 32));
}

const REFUSAL_TEXT: Record<BootRootRefusal, string> = {
  traversal: 'Access violation: ".." is not allowed.',
  absolute: 'Access violation: absolute paths are not allowed.',
  nul: 'Access violation: bad file name.',
  'percent-encoding': 'Access violation: percent-encoded names are not allowed.',
  'symlink-escape': 'Access violation: link leads outside the boot root.',
  dotfile: 'Access violation: hidden files are not served.',
  'not-a-file': 'File not found (not a regular file).',
  'not-found': 'File not found.',
};

export async function openRequested(opts: {
  requested: string;
  mode: 'octet' | 'netascii';
  client: { address: string };
  bootRoot: string;
  runtime: Runtime;
  caseInsensitive: boolean;
  /** Bytes per file read (readAheadFor); READ_AHEAD when absent. */
  readAhead?: number;
  /** Small files served from memory (file-cache.ts); every file is streamed from disk without it. */
  cache?: FileCache;
}): Promise<Opened> {
  // GRUB (grub-core/net/tftp.c) asks for "/grub/grub.cfg" and "/path/vmlinuz": one leading "/" means the
  // TFTP root, as tftpd-hpa --secure and dnsmasq read it. Only a name that exists inside the root is served
  // so; anything else keeps the "absolute" refusal (so "/etc/passwd" is still refused, never looked up outside).
  if (/^\/[^/\\]/.test(opts.requested)) {
    const rooted = await openRequested({ ...opts, requested: opts.requested.slice(1) });
    if (rooted.ok) return rooted;
  }
  const split = splitRequestedPath(opts.requested);
  if (!Array.isArray(split)) {
    if (split.ok) throw new Error('unreachable');
    return refusal(split.reason, split.message);
  }
  const name = split.join('/');
  const netascii = opts.mode === 'netascii';
  const vf = name ? await opts.runtime.findVirtualFile(name, { address: opts.client.address }) : undefined;
  if (vf) {
    const raw = vf.open();
    return {
      ok: true,
      name,
      size: netascii ? undefined : vf.size,
      stream: netascii ? encode(raw) : raw,
      virtual: true,
    };
  }
  const r = await resolveInBootRoot(opts.bootRoot, opts.requested, {
    caseInsensitiveFallback: opts.caseInsensitive,
  });
  if (!r.ok) return refusal(r.reason, r.message);
  const held = await opts.cache?.get(r.path, r.stat);
  // From memory: one chunk, which block-source.ts cuts by reference (Readable.from would iterate a Buffer).
  const raw = held
    ? Readable.from([held])
    : createReadStream(r.path, { highWaterMark: opts.readAhead ?? READ_AHEAD });
  return {
    ok: true,
    name,
    size: netascii ? undefined : r.stat.size,
    stream: netascii ? encode(raw) : raw,
    virtual: false,
  };
}

function refusal(reason: BootRootRefusal, message: string): Opened {
  const code = reason === 'not-found' || reason === 'not-a-file' ? ERR.fileNotFound : ERR.accessViolation;
  return { ok: false, code, reason, message, clientMessage: REFUSAL_TEXT[reason] };
}

/** pipeline() (not pipe()) so a read error reaches the transfer and destroying the output closes the file. */
function encode(raw: Readable): Readable {
  return pipeline(raw, new NetasciiEncoder(), () => {
    /* errors surface through the returned stream */
  });
}
