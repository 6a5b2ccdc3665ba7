/**
 * Parses one syslog datagram as iPXE sends it: `<PRI>[hostname[.domain] ]ipxe: text`, no timestamp
 * (src/net/udp/syslog.c syslog_send()). Also accepts RFC 3164 lines from other senders (our own servers,
 * a router) so nothing is silently dropped: whatever follows PRI becomes the text.
 */
export interface ParsedSyslog {
  facility: number;
  severity: number;
  hostname?: string;
  tag?: string;
  text: string;
}

const IPXE_LINE = /^<(\d{1,3})>(?:(\S+) )?(ipxe): ?(.*)$/s;
const RFC3164 =
  /^<(\d{1,3})>(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d )?(?:(\S+) )?([\w.\-/]+)(?:\[\d+\])?: ?(.*)$/s;
const PRI_ONLY = /^<(\d{1,3})>(.*)$/s;

export function parseSyslog(datagram: Buffer | string): ParsedSyslog | undefined {
  const text = (typeof datagram === 'string' ? datagram : datagram.toString('utf8')).replace(
    /[\r\n\0]+$/,
    '',
  );
  const m = IPXE_LINE.exec(text) ?? RFC3164.exec(text);
  if (m) return withPri(Number(m[1]), { hostname: m[2], tag: m[3], text: m[4] ?? '' });
  const p = PRI_ONLY.exec(text);
  if (p) return withPri(Number(p[1]), { text: p[2] ?? '' });
  return undefined;
}

function withPri(pri: number, rest: Omit<ParsedSyslog, 'facility' | 'severity'>): ParsedSyslog | undefined {
  if (!Number.isInteger(pri) || pri > 191) return undefined; // RFC 3164 4.1.1: PRI is at most 191
  const out: ParsedSyslog = { facility: pri >> 3, severity: pri & 7, text: rest.text };
  if (rest.hostname) out.hostname = rest.hostname;
  if (rest.tag) out.tag = rest.tag;
  return out;
}
