/**
 * iPXE script lines that talk to Bootlab's HTTP server: the first-stage chain script (it hands iPXE's
 * settings to /boot.ipxe in the query), and the check-in lines the menu calls ("menu shown", "entry chosen",
 * "booting"). Used by the DHCP side (what to hand iPXE) and the menu renderer. Pure string building.
 *
 * iPXE facts relied on (src/core/exec.c): a line is split on whitespace BEFORE ${...} expansion, so an
 * expanded value with spaces stays one argument; a token starting with "#" starts a comment; "||", "&&" and
 * ";" are separators; an empty command after "||" succeeds (so `cmd ||` ignores a failure).
 * ${name:uristring} percent-encodes the value (src/core/settings.c, setting type "uristring").
 */

export const BOOT_SCRIPT_PATH = '/boot.ipxe';
export const FIRST_STAGE_PATH = '/first-stage.ipxe';
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

function trimBase(httpBase: string): string {
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

/**
 * Lines that give iPXE the credentials for one protected entry (HTTP auth, config `http.auth`). iPXE keeps
 * them in its `username`/`password` settings; the download URL must carry them (see urlWithCredentials),
 * as in ipxe.org/cmd/login. `prompt` asks the person at the machine instead (`login`), so the password is
 * not in the script, which anyone on the boot network can fetch. Values are checked by the config schema
 * (no whitespace or iPXE syntax characters).
 */
export function credentialLines(creds: { username: string; password: string } | 'prompt'): string[] {
  if (creds === 'prompt') return ['login || goto bootlab_menu'];
  return [`set username ${creds.username}`, `set password ${creds.password}`];
}

/** Forgets the credentials again (after the protected downloads), so later entries do not send them. */
export function clearCredentialLines(): string[] {
  return ['clear username', 'clear password'];
}

/** http://host/path → http://${username:uristring}:${password:uristring}@host/path (iPXE expands them). */
export function urlWithCredentials(url: string): string {
  return url.replace(/^(https?:\/\/)/, '$1${username:uristring}:${password:uristring}@');
}

/**
 * Makes text from a client or a user safe to put in an `echo` (or menu item) line: no separators, comment
 * starts or setting references can sneak in. Keeps letters, digits, space and . _ : / ( ) + , @ = -.
 */
export function ipxeSafeText(text: string, max = 120): string {
  return text
    .replace(/[^A-Za-z0-9 ._:/()+,@=-]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}
