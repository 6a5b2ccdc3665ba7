import { readFileSync } from 'node:fs';

/**
 * Option negotiation policy for read requests (RFC 2347 §2, blksize RFC 2348, timeout/tsize RFC 2349,
 * windowsize RFC 7440). Pure apart from mtuOf(). Unknown or malformed options are left out of the OACK
 * (RFC 2347: the server omits options it does not support) rather than failing the request.
 */
export interface NegotiationLimits {
  /** Largest blksize the config allows. */
  maxBlockSize: number;
  /** Largest blksize that fits the interface MTU: MTU - 20 (IPv4) - 8 (UDP) - 4 (TFTP header). */
  mtuBlockSize: number;
  maxWindowSize: number;
  /** windowsize × blksize never exceeds this (a bigger burst overflows client socket buffers). */
  maxBytesInFlight: number;
  defaultTimeoutMs: number;
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  /** What goes into the OACK, in the client's order; empty means no OACK (plain RFC 1350 transfer). */
  oack: Map<string, string>;
  /** Client asked tsize=0: OVMF's size probe and iPXE both do; OVMF then aborts with an ERROR packet. */
  askedTsize: boolean;
}

export const MAX_BLKSIZE = 65464; // RFC 2348 §2
const MIN_BLKSIZE = 8;

export function blockSizeForMtu(mtu: number): number {
  return Math.max(512, Math.min(MAX_BLKSIZE, mtu - 32));
}

/** Reads the interface MTU from sysfs; loopback is large (65536), unknown falls back to Ethernet's 1500. */
export function mtuOf(ifname: string): number {
  try {
    const n = parseInt(readFileSync(`/sys/class/net/${ifname}/mtu`, 'utf8').trim(), 10);
    return Number.isFinite(n) && n >= 576 ? n : 1500;
  } catch {
    return 1500;
  }
}

function intOption(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,10}$/.test(v.trim())) return undefined;
  return parseInt(v.trim(), 10);
}

export function negotiate(
  requested: Map<string, string>,
  limits: NegotiationLimits,
  fileSize: number | undefined,
): Negotiated {
  const oack = new Map<string, string>();
  let blksize = 512;
  let windowsize = 1;
  let timeoutMs = limits.defaultTimeoutMs;
  let askedTsize = false;

  for (const [name, value] of requested) {
    const n = intOption(value);
    switch (name) {
      case 'blksize':
        // RFC 2348: 8..65464; we answer with a smaller value when ours is smaller (the client accepts
        // any value ≤ what it asked).
        if (n !== undefined && n >= MIN_BLKSIZE) {
          blksize = Math.min(n, MAX_BLKSIZE, limits.maxBlockSize, limits.mtuBlockSize);
          oack.set('blksize', String(blksize));
        }
        break;
      case 'windowsize':
        if (n !== undefined && n >= 1 && n <= 65535) {
          windowsize = Math.min(n, limits.maxWindowSize);
          oack.set('windowsize', ''); // value fixed below, once blksize is known
        }
        break;
      case 'timeout':
        // RFC 2349 §3.1: seconds, 1..255; the server either accepts the value or omits the option.
        // We echo it (the client sets its own timers from it) but never wait longer than our own
        // timeout before retransmitting: curl asks for 6 s, which on a lossy link makes every lost
        // packet cost 6 s. An early retransmission is only a duplicate, which RFC 1350 receivers re-ACK.
        if (n !== undefined && n >= 1 && n <= 255) {
          timeoutMs = Math.min(n * 1000, limits.defaultTimeoutMs);
          oack.set('timeout', String(n));
        }
        break;
      case 'tsize':
        // RFC 2349 §4: in a RRQ the client sends 0 and the server answers with the size, when known.
        askedTsize = true;
        if (fileSize !== undefined) oack.set('tsize', String(fileSize));
        break;
      default:
        break; // unknown option: omitted from the OACK
    }
  }
  if (oack.has('windowsize')) {
    windowsize = Math.max(1, Math.min(windowsize, Math.floor(limits.maxBytesInFlight / blksize)));
    oack.set('windowsize', String(windowsize));
  }
  return { blksize, windowsize, timeoutMs, oack, askedTsize };
}
