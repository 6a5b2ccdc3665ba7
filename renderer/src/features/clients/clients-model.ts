import type { BootlabEvent, ClientSession } from '../../../../services/api/contract.js';
import { archName } from '../../../../services/shared/firmware.js';

/**
 * The client table. The join itself (MAC key, IP through the lease, syslog by source IP, stages) happens
 * once, on the server (services/stats/sessions.ts); the page loads GET /api/clients and folds the live
 * `client.session` events in here.
 */
export interface ClientsState {
  rows: Record<string, ClientSession>;
}

export const emptyClients: ClientsState = { rows: {} };

export interface ClientRow {
  key: string;
  mac?: string;
  ip?: string;
  hostname?: string;
  makeModel?: string;
  firmware?: string;
  /** "50% from peers (Bootlab cache)" etc., when PeerDist was used. */
  fromPeers?: string;
  stage: string;
  transfer?: {
    protocol: 'tftp' | 'http';
    file: string;
    bytes: number;
    total?: number;
    bytesPerSecond: number;
    done: boolean;
  };
  lastLine?: string;
  problem?: string;
  lastSeen: string;
}

/** Client system architecture (DHCP option 93) in words: the one table in services/shared/firmware.ts. */
export const firmwareName = archName;

/** Applies one event; returns the same state object when the event says nothing about clients. */
export function applyClientEvent(state: ClientsState, event: BootlabEvent): ClientsState {
  if (event.type !== 'client.session') return state;
  const session = (event as BootlabEvent<'client.session'>).payload;
  const rows = { ...state.rows, [session.key]: session };
  // A machine first seen by IP becomes part of its MAC's row once DHCP names it.
  if (session.mac && session.ip) delete rows[`ip:${session.ip}`];
  return { rows };
}

/** The snapshot from GET /api/clients as events, so it folds in like live updates. */
export function snapshotEvents(clients: ClientSession[]): BootlabEvent[] {
  return clients.map(
    (payload) => ({ type: 'client.session', time: payload.lastSeen, payload }) as BootlabEvent,
  );
}

export function toRow(s: ClientSession): ClientRow {
  return {
    key: s.key,
    mac: s.mac ?? undefined,
    ip: s.ip ?? undefined,
    hostname: s.hostname,
    makeModel: [s.make, s.model].filter(Boolean).join(' ') || undefined,
    firmware: [s.firmware ?? firmwareName(s.arch), s.buildarch].filter(Boolean).join(' ') || undefined,
    fromPeers: peerShare(s),
    stage: stageWords(s.stage),
    transfer: s.download
      ? {
          protocol: s.download.via,
          file: s.download.name,
          bytes: s.download.bytes,
          total: s.download.total,
          bytesPerSecond: s.download.bytesPerSecond,
          done: s.download.done,
        }
      : undefined,
    lastLine: s.lastMessage,
    problem: s.error,
    lastSeen: s.lastSeen,
  };
}

export function sortedRows(state: ClientsState): ClientRow[] {
  return Object.values(state.rows)
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .map(toRow);
}

/** Stage names in a technician's words. */
export function stageWords(stage: ClientSession['stage']): string {
  return stage === 'first-stage' ? 'first stage' : stage === 'handed-over' ? 'handed over' : stage;
}

/** Share of blocks from peers: Bootlab's own count (hosted cache vs origin), and iPXE's figure beside it. */
export function peerShare(s: ClientSession): string | undefined {
  const parts: string[] = [];
  if (s.peerdistServer && s.peerdistServer.blocks > 0)
    parts.push(
      `${s.peerdistServer.percentFromPeers}% (${s.peerdistServer.fromCache} of ${s.peerdistServer.blocks} blocks from the cache)`,
    );
  if (s.peerdist)
    parts.push(
      `iPXE says ${s.peerdist.percentFromPeers}% from ${s.peerdist.peers} peer${s.peerdist.peers === 1 ? '' : 's'}`,
    );
  return parts.length ? parts.join('; ') : undefined;
}
