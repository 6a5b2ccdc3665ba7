/**
 * The live events the control API forwards over its WebSocket: what the UI pages and the desktop shell
 * subscribe to, and nothing else (Node-free; the renderer may import it as a type). Raw wire events
 * (dhcp.offer, dhcp.drop, tftp.transfer, http.download, http.checkin, peerdist.block) stay in the host:
 * the statistics join them into `client.session`, which is what a page about machines reads.
 * A page that needs another event type adds it here (docs/architecture.md, "One event path").
 */
import type { BootlabEventType } from '../shared/events.js';

export const FORWARDED_EVENTS = [
  'service.state', // Dashboard, DHCP page, tray
  'net.interfaces', // Settings
  'log', // Logs
  'syslog.line', // Logs (what the machines print)
  'client.session', // Clients, Dashboard, lab, desktop notifications
  'dhcp.ack', // DHCP page (lease table refresh)
  'lab.console', // Test boot console
  'build.output', // Builder console
  'library.changed', // Library page
  'library.download', // Library page, desktop notifications
] as const satisfies readonly BootlabEventType[];

export type ForwardedEventType = (typeof FORWARDED_EVENTS)[number];

const forwarded: ReadonlySet<string> = new Set(FORWARDED_EVENTS);

export function isForwarded(type: string): type is ForwardedEventType {
  return forwarded.has(type);
}
