/** What the UI and the API may see of the TFTP service (Node-free). */

/** Counters since the service started: requests, malformed packets dropped, refusals, transfers. */
export interface TftpStats {
  requests: number;
  malformed: number;
  strays: number;
  refused: number;
  busy: number;
  duplicates: number;
  completed: number;
  failed: number;
  active: number;
}

/** All counters at zero (a server that just started, or none running). */
export function emptyTftpStats(): TftpStats {
  return {
    requests: 0,
    malformed: 0,
    strays: 0,
    refused: 0,
    busy: 0,
    duplicates: 0,
    completed: 0,
    failed: 0,
    active: 0,
  };
}
