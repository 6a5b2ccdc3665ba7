/**
 * Syslog message parsing and TCP framing, pure (no Node sockets).
 *
 * Three message shapes arrive on 514:
 * - iPXE's own: `<PRI>[host[.domain] ]ipxe: text`, no timestamp, no version (src/net/udp/syslog.c
 *   syslog_send(); docs/ipxe-notes.md §1). Text may start with a space (the tail-only " ok").
 * - RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…]|- MSG`, "-" is NILVALUE (RFC 5424 6).
 * - RFC 3164: `<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG` (RFC 3164 4.1), timestamp optional in practice.
 * Over TCP messages are framed by octet counting (`LEN SP MSG`, RFC 6587 3.4.1) or end with LF
 * (RFC 6587 3.4.2; iPXE's syslogs sends `\n`-terminated lines, src/net/tcp/syslogs.c).
 */

export interface SyslogMessage {
  facility: number;
  severity: number;
  /** Host name as sent (not yet cleaned). */
  hostname?: string;
  /** Tag / APP-NAME ("ipxe" for iPXE). */
  tag?: string;
  /** RFC 5424 timestamp when present (ISO text as sent). */
  timestamp?: string;
  /** RFC 5424 structured data, as id → params. */
  structuredData?: Record<string, Record<string, string>>;
  /** The message text, untrimmed (iPXE's " ok" tail keeps its leading space). */
  text: string;
  format: 'ipxe' | 'rfc5424' | 'rfc3164' | 'bare';
}

export type DropReason =
  'empty' | 'no-pri' | 'bad-pri' | 'too-long' | 'bad-5424' | 'bad-frame' | 'sender-limit' | 'binary';

export type ParseResult = { ok: true; message: SyslogMessage } | { ok: false; reason: DropReason };

const PRI = /^<(\d{1,3})>/;
const IPXE = /^(?:(\S+) )?ipxe: ?/;
const RFC3164_TS = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const RFC3164_HEAD = /^(?:(\S+) )?([\w.\-/]{1,48})(?:\[[^\]\s]{0,32}\])?: ?/;
const NIL = '-';

/** Parses one syslog message (a UDP datagram, or one TCP frame without its framing). */
export function parseSyslogMessage(input: Buffer | string, maxLength: number): ParseResult {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.length > maxLength) return { ok: false, reason: 'too-long' };
  text = text.replace(/[\r\n\0]+$/, '');
  if (text.length === 0) return { ok: false, reason: 'empty' };
  const pri = PRI.exec(text);
  if (!pri) return { ok: false, reason: 'no-pri' };
  const value = Number(pri[1]);
  // RFC 5424 6.2.1: PRI is at most 191, and no leading zeros except "<0>".
  if (value > 191 || (pri[1]!.length > 1 && pri[1]!.startsWith('0'))) return { ok: false, reason: 'bad-pri' };
  const facility = value >> 3;
  const severity = value & 7;
  const rest = text.slice(pri[0].length);
  // NUL or invalid UTF-8 (decoded as U+FFFD): not text from a syslog sender.
  if (rest.includes('\0') || rest.includes('\uFFFD')) return { ok: false, reason: 'binary' };

  if (rest.startsWith('1 ')) {
    const m = parse5424(rest.slice(2));
    if (!m) return { ok: false, reason: 'bad-5424' };
    return { ok: true, message: { facility, severity, ...m, format: 'rfc5424' } };
  }
  const ipxe = IPXE.exec(rest);
  if (ipxe) {
    const message: SyslogMessage = {
      facility,
      severity,
      tag: 'ipxe',
      text: rest.slice(ipxe[0].length),
      format: 'ipxe',
    };
    if (ipxe[1]) message.hostname = ipxe[1];
    return { ok: true, message };
  }
  let body = rest;
  const ts = RFC3164_TS.exec(body);
  if (ts) body = body.slice(ts[0].length);
  const head = RFC3164_HEAD.exec(body);
  if (head) {
    const message: SyslogMessage = {
      facility,
      severity,
      tag: head[2],
      text: body.slice(head[0].length),
      format: 'rfc3164',
    };
    if (head[1]) message.hostname = head[1];
    if (ts) message.timestamp = ts[0].trim();
    return { ok: true, message };
  }
  return { ok: true, message: { facility, severity, text: body, format: 'bare' } };
}

/** RFC 5424 6: TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]. */
function parse5424(s: string): Omit<SyslogMessage, 'facility' | 'severity' | 'format'> | undefined {
  const fields: string[] = [];
  let i = 0;
  for (let n = 0; n < 5; n++) {
    const sp = s.indexOf(' ', i);
    if (sp < 0) return undefined;
    fields.push(s.slice(i, sp));
    i = sp + 1;
  }
  const [timestamp, hostname, app] = fields as [string, string, string, string, string];
  let structuredData: Record<string, Record<string, string>> | undefined;
  if (s[i] === '-') i++;
  else if (s[i] === '[') {
    const sd = parseStructuredData(s, i);
    if (!sd) return undefined;
    structuredData = sd.data;
    i = sd.end;
  } else return undefined;
  if (i < s.length && s[i] !== ' ') return undefined;
  let text = s.slice(i + 1);
  if (text.startsWith('\uFEFF')) text = text.slice(1); // BOM before UTF-8 MSG (RFC 5424 6.4)
  const out: Omit<SyslogMessage, 'facility' | 'severity' | 'format'> = { text };
  if (timestamp !== NIL) out.timestamp = timestamp;
  if (hostname !== NIL) out.hostname = hostname;
  if (app !== NIL) out.tag = app;
  if (structuredData) out.structuredData = structuredData;
  return out;
}

/** SD-ELEMENT = "[" SD-ID *(SP PARAM-NAME "=" %d34 PARAM-VALUE %d34) "]", values escape \" \\ \] (6.3.3). */
function parseStructuredData(
  s: string,
  start: number,
): { data: Record<string, Record<string, string>>; end: number } | undefined {
  const data: Record<string, Record<string, string>> = {};
  let i = start;
  let elements = 0;
  while (s[i] === '[') {
    if (++elements > 32) return undefined;
    i++;
    const idEnd = s.slice(i).search(/[ \]]/);
    if (idEnd <= 0) return undefined;
    const id = s.slice(i, i + idEnd);
    i += idEnd;
    const params: Record<string, string> = {};
    while (s[i] === ' ') {
      i++;
      const eq = s.indexOf('=', i);
      if (eq <= i || s[eq + 1] !== '"') return undefined;
      const name = s.slice(i, eq);
      if (!/^[^\s=\]"]{1,32}$/.test(name)) return undefined;
      i = eq + 2;
      let value = '';
      for (;;) {
        if (i >= s.length) return undefined;
        const c = s[i]!;
        if (c === '\\' && i + 1 < s.length && '"\\]'.includes(s[i + 1]!)) {
          value += s[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (name !== '__proto__') params[name] = value;
    }
    if (s[i] !== ']') return undefined;
    i++;
    data[id] = params;
  }
  return { data, end: i };
}

/**
 * Splits a TCP byte stream into syslog messages: octet counting when a frame starts with a digit
 * (RFC 6587 3.4.1), otherwise LF-terminated (3.4.2). Keeps at most `maxFrame` bytes buffered; a frame
 * longer than that, or a broken length, makes `push` report a framing error (the caller closes the
 * connection, because after a bad length the stream cannot be resynchronised).
 */
export class SyslogFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame: number) {}

  /** Feeds bytes; returns complete frames and whether the stream is broken. */
  push(chunk: Buffer): { frames: Buffer[]; error?: DropReason } {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffer.length === 0) break;
      const first = this.buffer[0]!;
      if (first >= 0x30 && first <= 0x39) {
        const sp = this.buffer.indexOf(0x20);
        const digits = sp < 0 ? this.buffer.length : sp;
        if (digits > 7) return this.fail(frames, 'bad-frame');
        if (sp < 0) break; // length not complete yet
        const lenText = this.buffer.subarray(0, sp).toString('latin1');
        if (!/^[1-9]\d*$/.test(lenText)) return this.fail(frames, 'bad-frame');
        const len = Number(lenText);
        if (len > this.maxFrame) return this.fail(frames, 'too-long');
        if (this.buffer.length < sp + 1 + len) break;
        frames.push(this.buffer.subarray(sp + 1, sp + 1 + len));
        this.buffer = this.buffer.subarray(sp + 1 + len);
      } else {
        const lf = this.buffer.indexOf(0x0a);
        if (lf < 0) {
          if (this.buffer.length > this.maxFrame) return this.fail(frames, 'too-long');
          break;
        }
        const frame = this.buffer.subarray(0, lf);
        this.buffer = this.buffer.subarray(lf + 1);
        if (frame.length > this.maxFrame) return this.fail(frames, 'too-long');
        if (frame.length > 0 && !(frame.length === 1 && frame[0] === 0x0d)) frames.push(frame);
      }
    }
    // Copy the tail so the big chunk it came from can be freed.
    if (this.buffer.length > 0 && this.buffer.byteOffset !== 0) this.buffer = Buffer.from(this.buffer);
    return { frames };
  }

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buffer.length;
  }

  private fail(frames: Buffer[], error: DropReason): { frames: Buffer[]; error: DropReason } {
    this.buffer = Buffer.alloc(0);
    return { frames, error };
  }
}
