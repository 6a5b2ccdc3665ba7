import { checkinLines } from '../ipxe/checkin.js';

/**
 * Check-in lines: the script tells the HTTP server what the client is doing, so the live view knows more
 * than which files were downloaded. The lines come from the HTTP server's own helper
 * (services/ipxe/checkin.ts; the HTTP server answers GET /checkin); a failing check-in never stops the boot (`||`).
 * Events: menu (script loaded), chosen (entry picked, password passed), booting (all files downloaded,
 * handing over), failed (a download or boot failed; the entry is `${bl-id}`).
 */
export type CheckinEvent = 'menu' | 'chosen' | 'booting' | 'failed';

/** Renders the iPXE lines for one check-in. `entry` is a literal id or an iPXE expression like `${bl-id}`. */
export type CheckinRenderer = (event: CheckinEvent, entry?: string) => string[];

export const defaultCheckin: CheckinRenderer = (event, entry) =>
  checkinLines(
    '${base}',
    event,
    entry === undefined ? {} : entry.startsWith('${') ? { entryExpression: entry } : { entry },
  );

export const noCheckin: CheckinRenderer = () => [];
