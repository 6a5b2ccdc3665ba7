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
