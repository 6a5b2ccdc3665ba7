/**
 * What the UI sees of statistics (Node-free): the dashboard summary, throughput samples, machine log lines,
 * and the CSV export of sessions (RFC 4180: CRLF rows, fields with comma, quote or line break quoted).
 */
import type { ClientSession, SessionFile, TimelineEntry } from '../shared/events.js';

export type { ClientSession, SessionFile, TimelineEntry } from '../shared/events.js';

/** Syslog receiver counters (services/syslog/server.ts). */
export interface SyslogStats {
  received: number;
  lines: number;
  dropped: Record<string, number>;
  senders: number;
  connections: number;
}

export interface StatsSummary {
  /** Machines seen in the last 10 minutes that have neither handed over nor failed. */
  bootingNow: number;
  /** Machines that reached "handed over" since local midnight. */
  bootedToday: number;
  /** Machines whose current boot failed (most recent first, at most 50). */
  failed: { key: string; name: string; error: string; errorLink?: string; time: string }[];
  /** Bytes sent by TFTP and HTTP since Bootlab started. */
  bytesServed: number;
  /** Bytes per second over the last 5 seconds. */
  throughputBps: number;
  storedSessions: number;
  syslog: SyslogStats | null;
}

/** One point a second: total bytes/s and the busiest machines' bytes/s. */
export interface ThroughputSeries {
  /** Unix seconds, oldest first. */
  times: number[];
  total: number[];
  /** Per machine (session key or IP), same length as times. */
  machines: { key: string; values: number[] }[];
}

export interface MachineLogLine {
  time: string;
  /** Session key (MAC, or ip:<addr> before the lease is known). */
  machine: string;
  source: 'syslog' | 'dhcp' | 'tftp' | 'http' | 'checkin';
  text: string;
}

export interface ClientDetail {
  session: ClientSession;
  timeline: TimelineEntry[];
  files: SessionFile[];
}

export interface ExportFile {
  filename: string;
  contentType: string;
  text: string;
}

export const SESSION_CSV_COLUMNS = [
  'key',
  'mac',
  'ip',
  'hostname',
  'make',
  'model',
  'serial',
  'firmware',
  'stage',
  'error',
  'firstSeen',
  'lastSeen',
  'downloads',
  'bytesTotal',
  'percentFromPeers',
] as const;

function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sessionsToCsv(sessions: ClientSession[]): string {
  const rows = [SESSION_CSV_COLUMNS.join(',')];
  for (const s of sessions) {
    const values: Record<(typeof SESSION_CSV_COLUMNS)[number], unknown> = {
      key: s.key,
      mac: s.mac,
      ip: s.ip,
      hostname: s.hostname,
      make: s.make,
      model: s.model,
      serial: s.serial,
      firmware: s.firmware,
      stage: s.stage,
      error: s.error,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      downloads: s.downloads,
      bytesTotal: s.bytesTotal,
      percentFromPeers: s.peerdistServer?.percentFromPeers ?? s.peerdist?.percentFromPeers,
    };
    rows.push(SESSION_CSV_COLUMNS.map((c) => csvField(values[c])).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/** Short name for a machine in lists: host name, else make/model, else MAC or IP. */
export function machineName(s: ClientSession): string {
  return s.hostname ?? (s.model ? `${s.make ?? ''} ${s.model}`.trim() : (s.mac ?? s.ip ?? s.key));
}
