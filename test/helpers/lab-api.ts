import type { ClientSession } from '../../services/shared/events.js';
import { TOKEN_HEADER } from '../../services/shared/api-protocol.js';
import type { BootlabInLab } from './lab-bootlab.js';
import type { LabNet } from './lab-net.js';

/**
 * Bootlab's control API as seen from a lab test. Bootlab runs inside the lab namespace with its API on that
 * namespace's loopback, so requests go through curl in the namespace (the token in the x-bootlab-token
 * header, as the UI sends it).
 */
export function labApiGet<T>(lab: LabNet, bl: BootlabInLab, path: string): T {
  const url = new URL(bl.url);
  const token = /token=([^&]+)/.exec(url.hash)?.[1] ?? '';
  const r = lab.ns.tryRun(
    'curl',
    ['-sS', '--fail-with-body', '-H', `${TOKEN_HEADER}: ${token}`, `${url.origin}${path}`],
    10_000,
  );
  if (r.status !== 0) throw new Error(`GET ${path} failed (curl ${r.status}): ${r.stdout} ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The client sessions Bootlab shows on the Clients page. */
export function labClients(lab: LabNet, bl: BootlabInLab): ClientSession[] {
  return labApiGet<{ clients: ClientSession[] }>(lab, bl, '/api/clients').clients;
}

/** The session of one MAC, polled until `ready` holds (sessions follow the boot's events) or timeoutMs. */
export async function waitForSession(
  lab: LabNet,
  bl: BootlabInLab,
  mac: string,
  ready: (s: ClientSession) => boolean,
  timeoutMs = 10_000,
): Promise<ClientSession> {
  const until = Date.now() + timeoutMs;
  let last: ClientSession | undefined;
  for (;;) {
    last = labClients(lab, bl).find((c) => c.mac?.toLowerCase() === mac.toLowerCase());
    if (last && ready(last)) return last;
    if (Date.now() > until)
      throw new Error(`the session of ${mac} did not get there in time; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
