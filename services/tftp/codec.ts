/**
 * TFTP packet codec (RFC 1350 §5, options RFC 2347 §2, OACK RFC 2347 §2). Pure: bytes in, objects out.
 * parsePacket never throws; malformed input comes back as { kind: 'malformed', reason } so the server
 * can drop and count it.
 */
export const OP_RRQ = 1;
export const OP_WRQ = 2;
export const OP_DATA = 3;
export const OP_ACK = 4;
export const OP_ERROR = 5;
export const OP_OACK = 6;

/** RFC 1350 §5 error codes, plus 8 from RFC 2347. */
export const ERR = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTid: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionNegotiation: 8,
} as const;

export type TftpPacket =
  | { kind: 'rrq' | 'wrq'; filename: string; mode: string; options: Map<string, string> }
  | { kind: 'data'; block: number; data: Buffer }
  | { kind: 'ack'; block: number }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'oack'; options: Map<string, string> }
  | { kind: 'malformed'; reason: string };

/** Splits NUL-terminated strings; returns undefined when the last one is not terminated. */
function cstrings(buf: Buffer, start: number): string[] | undefined {
  const out: string[] = [];
  let i = start;
  while (i < buf.length) {
    const end = buf.indexOf(0, i);
    if (end < 0) return undefined;
    // latin1 keeps every byte as one char, so a name with odd bytes survives unchanged for logging/refusal.
    out.push(buf.toString('latin1', i, end));
    i = end + 1;
  }
  return out;
}

export function parsePacket(buf: Buffer): TftpPacket {
  if (buf.length < 4) return { kind: 'malformed', reason: `packet of ${buf.length} bytes is too short` };
  const op = buf.readUInt16BE(0);
  switch (op) {
    case OP_RRQ:
    case OP_WRQ: {
      const parts = cstrings(buf, 2);
      if (!parts || parts.length < 2)
        return { kind: 'malformed', reason: 'request without NUL-terminated filename and mode' };
      const [filename, mode, ...rest] = parts as [string, string, ...string[]];
      // RFC 2347: option names are case-insensitive; values follow names. An odd trailing string is ignored
      // (some clients pad the request with NULs).
      const options = new Map<string, string>();
      for (let i = 0; i + 1 < rest.length; i += 2) {
        const name = rest[i]!.toLowerCase();
        if (name !== '' && !options.has(name)) options.set(name, rest[i + 1]!);
      }
      return { kind: op === OP_RRQ ? 'rrq' : 'wrq', filename, mode: mode.toLowerCase(), options };
    }
    case OP_DATA:
      return { kind: 'data', block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case OP_ACK:
      return { kind: 'ack', block: buf.readUInt16BE(2) };
    case OP_ERROR: {
      const end = buf.indexOf(0, 4);
      return {
        kind: 'error',
        code: buf.readUInt16BE(2),
        message: buf.toString('latin1', 4, end < 0 ? buf.length : end),
      };
    }
    case OP_OACK: {
      const parts = cstrings(buf, 2) ?? [];
      const options = new Map<string, string>();
      for (let i = 0; i + 1 < parts.length; i += 2) options.set(parts[i]!.toLowerCase(), parts[i + 1]!);
      return { kind: 'oack', options };
    }
    default:
      return { kind: 'malformed', reason: `unknown opcode ${op}` };
  }
}

export function encodeRequest(
  kind: 'rrq' | 'wrq',
  filename: string,
  mode: string,
  options: Record<string, string> = {},
): Buffer {
  const parts = [filename, mode, ...Object.entries(options).flat()];
  const head = Buffer.alloc(2);
  head.writeUInt16BE(kind === 'rrq' ? OP_RRQ : OP_WRQ, 0);
  return Buffer.concat([head, ...parts.map((p) => Buffer.from(p + '\0', 'latin1'))]);
}

/** The 4-byte DATA header; the payload is sent beside it (socket.send([header, payload])) to avoid a copy. */
export function encodeDataHeader(block: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt16BE(OP_DATA, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function encodeData(block: number, data: Buffer): Buffer {
  return Buffer.concat([encodeDataHeader(block), data]);
}

export function encodeAck(block: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt16BE(OP_ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function encodeError(code: number, message: string): Buffer {
  const text = Buffer.from(message.slice(0, 400), 'latin1');
  const b = Buffer.alloc(5 + text.length);
  b.writeUInt16BE(OP_ERROR, 0);
  b.writeUInt16BE(code, 2);
  text.copy(b, 4);
  return b;
}

export function encodeOack(options: Map<string, string> | Record<string, string>): Buffer {
  const entries = options instanceof Map ? [...options.entries()] : Object.entries(options);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(OP_OACK, 0);
  return Buffer.concat([head, ...entries.flat().map((p) => Buffer.from(p + '\0', 'latin1'))]);
}
