import type { BootlabEvent, LogEntry } from '../../../../services/api/contract.js';

export const MAX_LINES = 2000;

/** A syslog line from a client (iPXE) as a log entry; severity 0-3 error, 4 warning (RFC 5424 §6.2.1). */
export function syslogToEntry(event: BootlabEvent<'syslog.line'>): LogEntry {
  const p = event.payload;
  const level: LogEntry['level'] =
    p.severity <= 3 ? 'error' : p.severity === 4 ? 'warn' : p.severity === 7 ? 'debug' : 'info';
  const who = p.hostname ? `${p.hostname} (${p.from})` : p.from;
  return {
    time: event.time,
    level,
    source: `client ${who}`,
    message: p.tag ? `${p.tag}: ${p.text}` : p.text,
  };
}

/**
 * The server's recent log (its own lines only) joined with what came live: live `log` lines newer than the
 * snapshot's last line, and every client syslog line, in time order.
 */
export function mergeLogs(history: readonly LogEntry[], live: readonly LogEntry[]): LogEntry[] {
  const lastHistory = history.length > 0 ? history[history.length - 1]!.time : '';
  const extra = live.filter((e) => e.source.startsWith('client ') || e.time > lastHistory);
  return [...history, ...extra].sort((a, b) => a.time.localeCompare(b.time)).slice(-MAX_LINES);
}
