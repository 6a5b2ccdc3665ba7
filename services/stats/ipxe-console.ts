/**
 * Reads meaning out of iPXE console lines as they arrive over syslog (docs/ipxe-notes.md §1, §2, §3),
 * pure. One line can carry several facts: `http://…/vmlinuz... 69%Downloaded "vmlinuz"` is an open
 * download AND a Downloaded notice (the syslog() call shares the console line buffer, facts 1.1 gotcha).
 *
 * - `URL... ok` / `URL... <error> (https://ipxe.org/<code>)`: a download ended (src/core/monojob.c).
 * - `URL...` with no result (progress erased, or cut by a merged message): a download is open; the
 *   sender's next tail-only ` ok` ends it. A ` ok` with nothing open is the tail of "Configuring (net0 …)… ok",
 *   the first line after DHCP.
 * - `Could not select: …` / `Could not boot: …` (src/usr/autoboot.c, imgmgmt.c): the boot failed.
 * - `Downloaded "x"`, `Download of "x" failed: …`, `Executing "x"`, `Execution of "x" failed: …`
 *   (core/downloader.c, core/image.c; only with a raised LOG_LEVEL).
 * - `[ NN% from P peers]` progress tails (net/peermux.c peermux_progress) and
 *   `PEERMUX 0x… downloaded N/M from P peers` debug lines (DEBUG=peermux:2).
 */

export interface PeerFigures {
  percentFromPeers: number;
  peers: number;
  /** From PEERMUX debug lines: blocks received from peers and blocks completed. */
  fromPeers?: number;
  blocks?: number;
}

export type IpxeFact =
  | { kind: 'configured' }
  | { kind: 'download-open'; url: string; name: string }
  | { kind: 'download-end'; url?: string; name?: string; ok: boolean; error?: string; errorCode?: string }
  | { kind: 'downloaded'; name: string }
  | { kind: 'download-failed'; name: string; error: string }
  | { kind: 'executing'; name: string }
  | { kind: 'execution-failed'; name: string; error: string }
  | { kind: 'could-not'; what: string; error: string; errorCode?: string }
  | { kind: 'peers'; figures: PeerFigures }
  | { kind: 'error'; text: string; errorCode?: string };

const URL_HEAD = /^((?:https?|tftp|ftp|nfs):\/\/\S+?)\.\.\.(.*)$/;
const ERROR_LINK = /\(https?:\/\/ipxe\.org\/([0-9a-f]{8})\)/;
const PEER_TAIL = /\[\s*(\d{1,3})% from (\d{1,6}) peers?\]/;
const PEERMUX = /PEERMUX \S+ downloaded (\d{1,9})\/(\d{1,9}) from (\d{1,6}) peers?/;
const DOWNLOADED = /Downloaded "([^"]{1,255})"/;
const DOWNLOAD_FAILED = /Download of "([^"]{1,255})" failed: (.+)$/;
const EXECUTING = /Executing "([^"]{1,255})"/;
const EXECUTION_FAILED = /Execution of "([^"]{1,255})" failed: (.+)$/;
const COULD_NOT = /Could not (select|boot)(?: image)?: (.+)$/;

export function nameOfUrl(url: string): string {
  return (
    url
      .replace(/[?#].*$/, '')
      .split('/')
      .filter(Boolean)
      .pop() ?? url
  );
}

/** Link to iPXE's page for an error code, e.g. https://ipxe.org/2d0c6102. */
export function ipxeErrorLink(code: string): string {
  return `https://ipxe.org/${code}`;
}

export function interpretIpxeLine(raw: string): IpxeFact[] {
  const facts: IpxeFact[] = [];
  if (/^\s*ok\s*$/.test(raw) && /^\s/.test(raw)) {
    facts.push({ kind: 'download-end', ok: true }); // sessions decide: open download, else "configured"
    return facts;
  }
  const line = raw.trim();
  const peer = PEER_TAIL.exec(line);
  if (peer)
    facts.push({
      kind: 'peers',
      figures: { percentFromPeers: Math.min(100, Number(peer[1])), peers: Number(peer[2]) },
    });
  const mux = PEERMUX.exec(line);
  if (mux) {
    const fromPeers = Number(mux[1]);
    const blocks = Number(mux[2]);
    facts.push({
      kind: 'peers',
      figures: {
        fromPeers,
        blocks,
        peers: Number(mux[3]),
        percentFromPeers: blocks > 0 ? Math.min(100, Math.round((100 * fromPeers) / blocks)) : 0,
      },
    });
  }
  const head = URL_HEAD.exec(line);
  if (head) {
    const url = head[1]!;
    const name = nameOfUrl(url);
    // What follows "...": progress figures, maybe a [peers] tail, then " ok", an error, or a merged message.
    const tail = head[2]!.replace(/^\s*(?:\d{1,3}%)?\s*(?:\[[^\]]*\])?/, '');
    if (/^\s*ok\s*$/.test(tail)) facts.push({ kind: 'download-end', url, name, ok: true });
    else if (ERROR_LINK.test(tail)) {
      const code = ERROR_LINK.exec(tail)![1]!;
      facts.push({ kind: 'download-end', url, name, ok: false, error: tail.trim(), errorCode: code });
    } else {
      facts.push({ kind: 'download-open', url, name });
      const merged = DOWNLOADED.exec(tail);
      if (merged) facts.push({ kind: 'downloaded', name: merged[1]! });
    }
    return facts;
  }
  let m: RegExpExecArray | null;
  if ((m = COULD_NOT.exec(line))) {
    const code = ERROR_LINK.exec(line)?.[1];
    facts.push({ kind: 'could-not', what: m[1]!, error: m[2]!.trim(), ...(code ? { errorCode: code } : {}) });
  } else if ((m = DOWNLOAD_FAILED.exec(line)))
    facts.push({ kind: 'download-failed', name: m[1]!, error: m[2]! });
  else if ((m = EXECUTION_FAILED.exec(line)))
    facts.push({ kind: 'execution-failed', name: m[1]!, error: m[2]! });
  else if ((m = DOWNLOADED.exec(line))) facts.push({ kind: 'downloaded', name: m[1]! });
  else if ((m = EXECUTING.exec(line))) facts.push({ kind: 'executing', name: m[1]! });
  else if (ERROR_LINK.test(line))
    facts.push({ kind: 'error', text: line, errorCode: ERROR_LINK.exec(line)![1]! });
  return facts;
}
