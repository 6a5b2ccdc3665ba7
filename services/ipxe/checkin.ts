/**
 * Check-in lines: a script tells the HTTP server what the client is doing (menu shown, entry chosen,
 * booting), so the live view knows more than which files were downloaded. The server answers GET
 * CHECKIN_PATH (services/http/checkin.ts). Pure string building.
 */
import { CHECKIN_PATH, trimBase } from './chain.js';

export type CheckinEventName = 'menu' | 'chosen' | 'booting';

export interface CheckinLineOptions {
  /** A literal entry id (URL-encoded here), e.g. "ubuntu-24.04". */
  entry?: string;
  /**
   * An iPXE expression for the entry instead of a literal, e.g. "${selected:uristring}" after
   * `choose selected`. Use the :uristring type so any value stays URL-safe.
   */
  entryExpression?: string;
  /** Image name iPXE keeps the answer under for a moment. Default "bootlab-checkin". */
  imageName?: string;
}

/** URL of the check-in endpoint for one event, with iPXE references for mac/ip. */
export function checkinUrl(
  httpBase: string,
  event: CheckinEventName | string,
  opts: CheckinLineOptions = {},
): string {
  const parts = [`mac=\${netX/mac:hexhyp}`, `ip=\${netX/ip}`, `event=${encodeURIComponent(event)}`];
  if (opts.entryExpression) parts.push(`entry=${opts.entryExpression}`);
  else if (opts.entry !== undefined) parts.push(`entry=${encodeURIComponent(opts.entry)}`);
  return `${trimBase(httpBase)}${CHECKIN_PATH}?${parts.join('&')}`;
}

/**
 * iPXE lines that report a check-in and never stop the script: `imgfetch` downloads the tiny answer (iPXE
 * can only do GET easily), `imgfree` drops it, and the trailing `||` swallows any failure (server down,
 * old iPXE). One line, so it can go anywhere in a menu script.
 */
export function checkinLines(
  httpBase: string,
  event: CheckinEventName | string,
  opts: CheckinLineOptions = {},
): string[] {
  const name = opts.imageName ?? 'bootlab-checkin';
  return [`imgfetch --name ${name} ${checkinUrl(httpBase, event, opts)} && imgfree ${name} ||`];
}
