/**
 * Reads meaning out of iPXE console lines as they arrive over syslog (shared/ipxe-facts.md 1.2, 2, 3):
 * download completions (`URL... ok` or `URL... <error> (https://ipxe.org/xxxxxxxx)`) and PeerDist figures
 * (`[ 88% from 1 peers]`, which only reach syslog when a progress line passes 127 characters).
 */
import type { PeerdistFigures } from '../core/events.js';

export type IpxeLine =
  | { kind: 'download'; url: string; name: string; ok: boolean; error?: string; peerdist?: PeerdistFigures }
  | { kind: 'peerdist'; peerdist: PeerdistFigures }
  | { kind: 'booting'; name: string }
  | { kind: 'error'; text: string }
  | { kind: 'other'; text: string };

const DOWNLOAD = /^(\w+:\/\/\S+?)\.\.\.(?:\s*\d+%)?(?:\s*\[[^\]]*\])?\s*(ok|.+?)\s*$/;
const PEERDIST = /\[\s*(\d{1,3})% from (\d+) peers?\]/;
const ERROR_URL = /\(https?:\/\/ipxe\.org\/[0-9a-f]{8}\)/;
const EXECUTING = /Executing "([^"]+)"/;

export function interpretIpxeLine(text: string): IpxeLine {
  const line = text.trim();
  const peer = PEERDIST.exec(line);
  const peerdist = peer
    ? { percentFromPeers: Math.min(100, Number(peer[1])), peers: Number(peer[2]) }
    : undefined;
  const dl = DOWNLOAD.exec(line);
  if (dl) {
    const url = dl[1]!;
    const result = dl[2]!;
    const name =
      url
        .replace(/[?#].*$/, '')
        .split('/')
        .pop() || url;
    if (result === 'ok') return { kind: 'download', url, name, ok: true, ...(peerdist ? { peerdist } : {}) };
    if (ERROR_URL.test(result))
      return { kind: 'download', url, name, ok: false, error: result, ...(peerdist ? { peerdist } : {}) };
    if (peerdist) return { kind: 'peerdist', peerdist };
  }
  if (peerdist) return { kind: 'peerdist', peerdist };
  const exec = EXECUTING.exec(line);
  if (exec) return { kind: 'booting', name: exec[1]! };
  if (ERROR_URL.test(line)) return { kind: 'error', text: line };
  return { kind: 'other', text: line };
}
