/**
 * The first stage: the script iPXE runs first, and the URL of the per-client script it chains with this
 * machine's identity in the query. Used by the HTTP server (which serves both) and DHCP (which may hand the
 * URL to iPXE directly). Pure string building.
 *
 * iPXE facts relied on (docs/ipxe-notes.md "Script lines", "Settings in URLs"; iPXE src/core/exec.c,
 * src/core/settings.c): a line is split on whitespace BEFORE ${...} expansion, so an expanded value with
 * spaces stays one argument; "||" with an empty command after it ignores a failure; ${name:uristring}
 * percent-encodes the value.
 */

export const BOOT_SCRIPT_PATH = '/boot.ipxe';
export const FIRST_STAGE_PATH = '/first-stage.ipxe';
/** Where iPXE reports check-ins (services/ipxe/checkin.ts writes the lines). */
export const CHECKIN_PATH = '/checkin';

/** The iPXE settings the first stage puts in the /boot.ipxe query (parsed back by client-query.ts). */
export const BOOT_QUERY_SETTINGS: readonly [string, string][] = [
  // netX = the network device iPXE opened last, i.e. the one it booted from (src/net/netdevice.c).
  ['mac', '${netX/mac:hexhyp}'],
  ['ip', '${netX/ip}'],
  ['platform', '${platform}'],
  ['buildarch', '${buildarch}'],
  ['manufacturer', '${manufacturer:uristring}'],
  ['product', '${product:uristring}'],
  ['serial', '${serial:uristring}'],
  ['uuid', '${uuid}'],
  ['asset', '${asset:uristring}'],
  ['hostname', '${hostname:uristring}'],
];

/** The base URL without a trailing slash. */
export function trimBase(httpBase: string): string {
  return httpBase.replace(/\/+$/, '');
}

/**
 * URL of the per-client script with iPXE setting references in the query, e.g.
 * `http://10.77.0.1:8080/boot.ipxe?mac=${netX/mac:hexhyp}&ip=${netX/ip}&…`. iPXE expands the references
 * when it runs a `chain` line with it. iPXE also expands settings in a DHCP filename (src/usr/autoboot.c),
 * so DHCP may hand this URL directly to an iPXE client as its boot file name.
 */
export function bootScriptUrl(httpBase: string): string {
  const query = BOOT_QUERY_SETTINGS.map(([k, v]) => `${k}=${v}`).join('&');
  return `${trimBase(httpBase)}${BOOT_SCRIPT_PATH}?${query}`;
}

export interface FirstStageOptions {
  /** Seconds between retries when the server cannot be reached. Default 5. */
  retrySeconds?: number;
}

/**
 * The first-stage script: brings the network up if it is not (an embedded script starts with no address),
 * then chains the per-client script with this machine's identity in the query. `--replace` makes the
 * chained script take this one's place, so `exit` in a menu leaves iPXE (local boot) instead of coming back
 * here. On failure it says so on screen and retries, rather than falling into an unexplained shell.
 * Served by the HTTP server at FIRST_STAGE_PATH; DHCP can hand that URL to iPXE clients.
 */
export function firstStageScript(httpBase: string, opts: FirstStageOptions = {}): string {
  const retry = Math.max(1, Math.floor(opts.retrySeconds ?? 5));
  return [
    '#!ipxe',
    "# Bootlab first stage: ask for this machine's boot script, with its identity in the query.",
    ':bootlab_retry',
    'isset ${netX/ip} || dhcp || goto bootlab_failed',
    `chain --autofree --replace ${bootScriptUrl(httpBase)} || goto bootlab_failed`,
    'exit',
    ':bootlab_failed',
    `echo Bootlab: could not load the boot script from ${trimBase(httpBase)} (error \${errno}). Retrying in ${retry} s.`,
    `sleep ${retry}`,
    'goto bootlab_retry',
    '',
  ].join('\n');
}
