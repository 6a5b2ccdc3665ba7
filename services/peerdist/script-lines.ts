/**
 * `set peerhost <address>:<port>` for the generated boot script: with it, iPXE skips peer discovery and asks
 * Bootlab's hosted cache for every block (src/net/peerdisc.c L492-499, L635-661). Pure string building.
 * Harmless on builds without PeerDist (the setting is then simply stored and unused).
 */
export function peerhostLines(peerHost: string | null | undefined): string[] {
  if (!peerHost || !/^[0-9A-Za-z.:[\]-]{1,100}$/.test(peerHost)) return [];
  return [`set peerhost ${peerHost}`];
}
