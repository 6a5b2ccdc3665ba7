import type { BootlabEvent } from '../../../../services/api/contract.js';

/**
 * A simple client table built from live events, one row per machine. MAC is the key (from DHCP); TFTP,
 * HTTP and syslog report an IP, which joins through the address DHCP gave out, or stands as its own row
 * until DHCP is seen. (The stats module's sessions will replace this with the server-side join.)
 */
export type Stage = 'dhcp' | 'first stage' | 'ipxe' | 'script' | 'kernel' | 'booted' | 'failed';
const STAGE_RANK: Record<Stage, number> = {
  dhcp: 0,
  'first stage': 1,
  ipxe: 2,
  script: 3,
  kernel: 4,
  booted: 5,
  failed: 6,
};

export interface Transfer {
  protocol: 'tftp' | 'http';
  file: string;
  bytes: number;
  total?: number;
  bytesPerSecond: number;
  done: boolean;
  result?: string;
}

export interface ClientRow {
  key: string;
  mac?: string;
  ip?: string;
  hostname?: string;
  firmware?: string;
  stage: Stage;
  transfer?: Transfer;
  lastLine?: string;
  problem?: string;
  lastSeen: string;
}

export interface ClientsState {
  rows: Record<string, ClientRow>;
  /** IP → row key, learned from DHCP (and HTTP events that carry a MAC). */
  ipKeys: Record<string, string>;
}

export const emptyClients: ClientsState = { rows: {}, ipKeys: {} };

/** Client system architecture (DHCP option 93, RFC 4578 §2.1 and the IANA registry) in words. */
export function firmwareName(arch: number | undefined): string | undefined {
  switch (arch) {
    case undefined:
      return undefined;
    case 0:
      return 'BIOS';
    case 6:
      return 'UEFI x86 (32-bit)';
    case 7:
    case 9:
      return 'UEFI x64';
    case 10:
      return 'UEFI ARM32';
    case 11:
      return 'UEFI ARM64';
    case 15:
      return 'UEFI HTTP x86';
    case 16:
      return 'UEFI HTTP x64';
    case 19:
      return 'UEFI HTTP ARM64';
    default:
      return `architecture ${arch}`;
  }
}

/** "10.0.0.5:2001" or "[::1]:80" → the address without the port. */
export function hostOf(client: string): string {
  const v6 = /^\[(.*)\]:\d+$/.exec(client);
  if (v6) return v6[1]!;
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(client);
  return v4 ? v4[1]! : client;
}

function advance(current: Stage, next: Stage): Stage {
  if (current === 'failed' && next !== 'booted') return next === 'dhcp' ? 'dhcp' : current;
  // A new DHCP request after a boot means the machine is starting over.
  if (next === 'dhcp' && (current === 'booted' || current === 'failed')) return 'dhcp';
  return STAGE_RANK[next] > STAGE_RANK[current] ? next : current;
}

/** Applies one event; returns the same state object when the event says nothing about clients. */
export function applyClientEvent(state: ClientsState, event: BootlabEvent): ClientsState {
  switch (event.type) {
    case 'dhcp.offer':
    case 'dhcp.ack': {
      const p = (event as BootlabEvent<'dhcp.offer'>).payload;
      const key = p.mac.toLowerCase();
      let next = p.ip ? mergeIpRow(state, p.ip, key) : state;
      const row = next.rows[key] ?? { key, stage: 'dhcp' as Stage, lastSeen: event.time };
      next = put(next, {
        ...row,
        mac: key,
        ip: p.ip ?? row.ip,
        hostname: p.hostname ?? row.hostname,
        firmware: firmwareName(p.arch) ?? row.firmware,
        stage: advance(row.stage, p.isIpxe ? 'ipxe' : 'dhcp'),
        lastSeen: event.time,
      });
      return p.ip ? { ...next, ipKeys: { ...next.ipKeys, [p.ip]: key } } : next;
    }
    case 'tftp.transfer': {
      const p = (event as BootlabEvent<'tftp.transfer'>).payload;
      const ip = hostOf(p.client);
      const row = rowForIp(state, ip, event.time);
      const failed = p.phase === 'end' && p.result !== 'ok';
      return put(state, {
        ...row,
        stage: advance(row.stage, 'first stage'),
        transfer: {
          protocol: 'tftp',
          file: p.file,
          bytes: p.bytesSent,
          total: p.size,
          bytesPerSecond: p.bytesPerSecond,
          done: p.phase === 'end',
          result: p.result,
        },
        // A later success clears an earlier problem: the table shows where the machine is now.
        problem: failed
          ? `TFTP ${p.file}: ${p.error ?? p.result}`
          : p.phase === 'end'
            ? undefined
            : row.problem,
        lastSeen: event.time,
      });
    }
    case 'http.download': {
      const p = (event as BootlabEvent<'http.download'>).payload;
      // A HEAD (iPXE probing a file's size) downloads nothing.
      if (p.method === 'HEAD') return state;
      const ip = hostOf(p.client);
      let next = p.mac ? mergeIpRow(state, ip, p.mac.toLowerCase()) : state;
      const row = p.mac
        ? (next.rows[p.mac.toLowerCase()] ?? rowForIp(next, ip, event.time))
        : rowForIp(next, ip, event.time);
      const isScript = /\.(ipxe|cfg)$|\/boot(\.php)?$|script/i.test(p.path);
      next = put(next, {
        ...row,
        mac: row.mac ?? p.mac?.toLowerCase(),
        stage: advance(row.stage, isScript ? 'script' : 'kernel'),
        transfer: {
          protocol: 'http',
          file: p.path,
          bytes: p.bytesSent,
          total: p.total,
          bytesPerSecond: p.bytesPerSecond,
          done: p.phase === 'end',
          result: p.result,
        },
        problem:
          p.status >= 400 ? `HTTP ${p.status} for ${p.path}` : p.phase === 'end' ? undefined : row.problem,
        lastSeen: event.time,
      });
      return p.mac ? { ...next, ipKeys: { ...next.ipKeys, [ip]: p.mac.toLowerCase() } } : next;
    }
    case 'http.checkin': {
      const p = (event as BootlabEvent<'http.checkin'>).payload;
      const row = rowForIp(state, hostOf(p.client), event.time);
      const stage: Stage | undefined = /fail|error/i.test(p.event)
        ? 'failed'
        : /boot/i.test(p.event)
          ? 'booted'
          : undefined;
      return put(state, {
        ...row,
        stage: stage ? advance(row.stage, stage) : row.stage,
        lastLine: `check-in: ${p.event}${p.entry ? ` (${p.entry})` : ''}`,
        lastSeen: event.time,
      });
    }
    case 'syslog.line': {
      const p = (event as BootlabEvent<'syslog.line'>).payload;
      const row = rowForIp(state, hostOf(p.from), event.time);
      // Severity 0-3 are emergency..error (RFC 5424 §6.2.1).
      return put(state, {
        ...row,
        lastLine: p.text,
        problem: p.severity <= 3 ? p.text : row.problem,
        lastSeen: event.time,
      });
    }
    default:
      return state;
  }
}

function rowForIp(state: ClientsState, ip: string, time: string): ClientRow {
  const key = state.ipKeys[ip] ?? ip;
  return state.rows[key] ?? { key, ip, stage: 'dhcp', lastSeen: time };
}

/** A row that was keyed by IP (seen before DHCP) becomes part of the MAC's row. */
function mergeIpRow(state: ClientsState, ip: string, mac: string): ClientsState {
  const byIp = state.rows[ip];
  if (!byIp || ip === mac) return state;
  const rows = { ...state.rows };
  delete rows[ip];
  const existing = rows[mac];
  rows[mac] = existing
    ? {
        ...byIp,
        ...existing,
        lastLine: existing.lastLine ?? byIp.lastLine,
        transfer: existing.transfer ?? byIp.transfer,
      }
    : { ...byIp, key: mac, mac };
  return { rows, ipKeys: { ...state.ipKeys, [ip]: mac } };
}

function put(state: ClientsState, row: ClientRow): ClientsState {
  return { ...state, rows: { ...state.rows, [row.key]: row } };
}

export function sortedRows(state: ClientsState): ClientRow[] {
  return Object.values(state.rows).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}
