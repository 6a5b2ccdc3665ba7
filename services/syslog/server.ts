/**
 * The syslog receiver's logic, pure: no sockets. service.ts feeds it datagrams and TCP frames; it parses,
 * reassembles iPXE's split lines per sender, cleans and caps client text, counts what it drops and by why,
 * and reports each finished line through the typed `report` callback.
 *
 * iPXE's line buffer is 128 bytes (SYSLOG_BUFSIZE, include/ipxe/syslog.h), so a console line longer than
 * 127 characters goes out as several messages (src/core/lineconsole.c): a message whose text is exactly
 * 127 characters is held for up to `reassemblyMs` and joined with the sender's next one.
 */
import { cleanText, TEXT_LIMITS } from '../core/clean-text.js';
import { parseSyslogMessage, type DropReason, type SyslogMessage } from './codec.js';

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogLine {
  /** Sender's IP address. */
  from: string;
  transport: SyslogTransport;
  /** Milliseconds since the epoch, when the (last part of the) line arrived. */
  time: number;
  facility: number;
  severity: number;
  format: SyslogMessage['format'];
  /** Cleaned host name (control bytes removed, capped). */
  hostname?: string;
  tag?: string;
  structuredData?: Record<string, Record<string, string>>;
  /** Cleaned message text; a leading space is kept (iPXE's " ok" tail means something). */
  text: string;
  /** How many messages were joined into this line (1 unless iPXE split it). */
  parts: number;
}

export interface SyslogReceiverOptions {
  report: (line: SyslogLine) => void;
  /** Longest message accepted, in bytes (before framing). */
  maxMessageBytes?: number;
  /** Senders tracked for reassembly at once; the longest idle is forgotten first. */
  maxSenders?: number;
  /** How long a 127-character part waits for its continuation. */
  reassemblyMs?: number;
  /** A reassembled line never grows beyond this many characters. */
  maxLineChars?: number;
  /** Raw messages kept per sender for the diagnostics view. */
  recentPerSender?: number;
  now?: () => number;
}

/** iPXE flushes its line buffer at 127 characters (SYSLOG_BUFSIZE - 1). */
export const IPXE_SPLIT_CHARS = 127;

interface Sender {
  lastSeen: number;
  pending?: { line: SyslogLine; since: number };
  recent: string[];
}

export type DropCounts = Partial<Record<DropReason, number>>;

export class SyslogReceiver {
  readonly drops: DropCounts = {};
  received = 0;
  lines = 0;
  private readonly senders = new Map<string, Sender>();
  private readonly opt: Required<SyslogReceiverOptions>;

  constructor(options: SyslogReceiverOptions) {
    this.opt = {
      maxMessageBytes: 8192,
      maxSenders: 4096,
      reassemblyMs: 1500,
      maxLineChars: TEXT_LIMITS.message,
      recentPerSender: 16,
      now: Date.now,
      ...options,
    };
  }

  /** One UDP datagram or one TCP frame from `from`. Never throws. */
  ingest(from: string, payload: Buffer, transport: SyslogTransport): void {
    this.received++;
    if (payload.length > this.opt.maxMessageBytes) return this.drop('too-long');
    const parsed = parseSyslogMessage(payload, this.opt.maxMessageBytes);
    if (!parsed.ok) return this.drop(parsed.reason);
    const now = this.opt.now();
    const sender = this.senderFor(from, now);
    if (!sender) return this.drop('sender-limit');
    const m = parsed.message;
    const rawText = m.text;
    sender.recent.push(cleanText(payload, TEXT_LIMITS.message));
    if (sender.recent.length > this.opt.recentPerSender) sender.recent.shift();
    const line: SyslogLine = {
      from,
      transport,
      time: now,
      facility: m.facility,
      severity: m.severity,
      format: m.format,
      text: cleanKeepLead(rawText, this.opt.maxLineChars),
      parts: 1,
    };
    if (m.hostname) line.hostname = cleanText(m.hostname, TEXT_LIMITS.hostname);
    if (m.tag) line.tag = cleanText(m.tag, 48);
    if (m.structuredData) line.structuredData = m.structuredData;

    if (sender.pending) {
      const held = sender.pending.line;
      if (
        m.format === 'ipxe' &&
        held.format === 'ipxe' &&
        now - sender.pending.since <= this.opt.reassemblyMs
      ) {
        held.text = (held.text + line.text).slice(0, this.opt.maxLineChars);
        held.parts++;
        held.time = now;
        held.severity = Math.min(held.severity, line.severity);
        sender.pending = undefined;
        if (rawText.length === IPXE_SPLIT_CHARS && held.text.length < this.opt.maxLineChars) {
          sender.pending = { line: held, since: now };
          return;
        }
        this.emit(held);
        return;
      }
      this.flushSender(sender);
    }
    if (m.format === 'ipxe' && rawText.length === IPXE_SPLIT_CHARS) {
      sender.pending = { line, since: now };
      return;
    }
    this.emit(line);
  }

  /** Counts a drop decided outside (a broken TCP frame, a connection over the limit). */
  drop(reason: DropReason): void {
    this.drops[reason] = (this.drops[reason] ?? 0) + 1;
  }

  /** Reports held parts whose continuation did not come in time (call about once a second). */
  flushExpired(): void {
    const now = this.opt.now();
    for (const s of this.senders.values())
      if (s.pending && now - s.pending.since > this.opt.reassemblyMs) this.flushSender(s);
  }

  /** Reports everything held (on stop). */
  flushAll(): void {
    for (const s of this.senders.values()) this.flushSender(s);
  }

  recent(from: string): string[] {
    return [...(this.senders.get(from)?.recent ?? [])];
  }

  get senderCount(): number {
    return this.senders.size;
  }

  get droppedTotal(): number {
    return Object.values(this.drops).reduce((a, b) => a + (b ?? 0), 0);
  }

  private senderFor(from: string, now: number): Sender | undefined {
    let s = this.senders.get(from);
    if (s) {
      // Keep Map order = least recently seen first, so eviction takes the front.
      this.senders.delete(from);
      s.lastSeen = now;
      this.senders.set(from, s);
      return s;
    }
    if (this.senders.size >= this.opt.maxSenders) {
      const [oldestKey, oldest] = this.senders.entries().next().value as [string, Sender];
      this.flushSender(oldest);
      this.senders.delete(oldestKey);
    }
    s = { lastSeen: now, recent: [] };
    this.senders.set(from, s);
    return s;
  }

  private flushSender(s: Sender): void {
    const p = s.pending;
    s.pending = undefined;
    if (p) this.emit(p.line);
  }

  private emit(line: SyslogLine): void {
    this.lines++;
    try {
      this.opt.report(line);
    } catch {
      // A failing consumer must not take the receiver down; the bus logs handler errors itself.
    }
  }
}

/** cleanText trims; iPXE's leading space (the " ok" tail) carries meaning, so keep one. */
function cleanKeepLead(text: string, max: number): string {
  const lead = /^\s/.test(text) ? ' ' : '';
  return lead + cleanText(text, max - lead.length);
}
