import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * Whether the services host needs administrator rights for the ports the profile asks for, and how to
 * start it elevated. Pure functions: the facts (platform, uid, kernel settings) come in as parameters.
 */

export interface PortNeed {
  service: 'dhcp' | 'tftp' | 'http' | 'syslog';
  port: number;
  /** True when the service copes without it (HTTP falls back to 8080). */
  optional: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) ? v : fallback;

/**
 * The ports the active profile of a config file (config.json, parsed but not validated) will bind.
 * Missing values take the schema defaults (services/<proto>/config.ts).
 */
export function portsFromConfig(config: unknown): PortNeed[] {
  const file = obj(config);
  const active = typeof file.activeProfile === 'string' ? file.activeProfile : 'default';
  const profile = obj(obj(file.profiles)[active]);
  const dhcp = obj(profile.dhcp);
  const tftp = obj(profile.tftp);
  const http = obj(profile.http);
  const syslog = obj(profile.syslog);
  const needs: PortNeed[] = [];
  if (dhcp.mode !== 'off') {
    needs.push({ service: 'dhcp', port: num(dhcp.port, 67), optional: false });
    needs.push({ service: 'dhcp', port: num(dhcp.proxyPort, 4011), optional: false });
  }
  if (tftp.enabled !== false) needs.push({ service: 'tftp', port: num(tftp.port, 69), optional: false });
  if (http.enabled !== false) needs.push({ service: 'http', port: num(http.port, 80), optional: true });
  if (syslog.enabled !== false)
    needs.push({ service: 'syslog', port: num(syslog.port, 514), optional: false });
  return needs;
}

export interface PrivilegeFacts {
  platform: NodeJS.Platform;
  /** process.getuid() on POSIX; undefined on Windows. */
  uid: number | undefined;
  /** Linux: /proc/sys/net/ipv4/ip_unprivileged_port_start (1024 unless changed). */
  unprivilegedPortStart?: number;
  /** Linux: the Node binary that runs the host has cap_net_bind_service (setcap). */
  hasBindCapability?: boolean;
  /** macOS: Darwin major version (os.release()); 18 = macOS 10.14 (low ports free on INADDR_ANY only). */
  darwinMajor?: number;
}

/** The lowest port an ordinary user may bind, or 0 when every port is allowed. */
export function firstUnprivilegedPort(facts: PrivilegeFacts): number {
  if (facts.platform === 'win32') return 0; // Windows has no privileged ports.
  if (facts.uid === 0) return 0;
  // macOS 10.14+ lets anyone bind a low port only on INADDR_ANY; the boot services bind the chosen
  // interface's address (DHCP's reply socket, TFTP, HTTP, syslog), which still needs root below 1024.
  if (facts.platform === 'darwin') return 1024;
  if (facts.platform === 'linux' && facts.hasBindCapability) return 0;
  return facts.unprivilegedPortStart ?? 1024;
}

export interface ElevationDecision {
  elevate: boolean;
  /** The required ports that an ordinary user may not bind (for the dialog). */
  blocked: PortNeed[];
}

/** Elevate only when a required (non-optional) port is below the unprivileged range. Port 0 is "any". */
export function decideElevation(needs: readonly PortNeed[], facts: PrivilegeFacts): ElevationDecision {
  const limit = firstUnprivilegedPort(facts);
  const blocked = needs.filter((n) => !n.optional && n.port > 0 && n.port < limit);
  return { elevate: blocked.length > 0, blocked };
}

/** The words of the prompt shown before asking for the password. */
export function elevationPrompt(
  decision: ElevationDecision,
  platform: NodeJS.Platform,
): { message: string; detail: string } {
  const list = decision.blocked.map((n) => `${n.service.toUpperCase()} port ${n.port}`).join(', ');
  const how =
    platform === 'win32'
      ? 'Windows will ask you to allow it.'
      : platform === 'darwin'
        ? 'macOS will ask for your password.'
        : 'Your system will ask for your password (pkexec).';
  return {
    message: 'Bootlab needs administrator rights for its boot services',
    detail:
      `Network-booting machines only ask on fixed ports below 1024 (${list}), which need administrator ` +
      `rights on this system. ${how}\n\nOnly Bootlab’s services host runs with these rights; the window ` +
      `does not. Choose “Continue without” to start anyway: the services on these ports will then show an ` +
      `error with what to do instead (e.g. sudo setcap cap_net_bind_service+ep on the node binary).`,
  };
}

export interface LaunchCommand {
  command: string;
  args: string[];
  /** Set when the elevated process cannot hand us its stdout: its output goes to this file instead. */
  outputFile?: string;
}

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const psQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Wraps the host command to run elevated:
 * - Linux: pkexec keeps our stdio, so the ready line arrives on stdout as usual. pkexec clears the
 *   environment, so the variables the host needs are passed through `env`.
 * - macOS: osascript "do shell script ... with administrator privileges" only returns at the end, so the
 *   host runs in the background with its output in `outputFile`.
 * - Windows: Start-Process -Verb RunAs (UAC) cannot pipe stdio either; output goes to `outputFile`.
 */
export function elevatedCommand(
  platform: NodeJS.Platform,
  base: LaunchCommand,
  env: Record<string, string>,
  outputFile: string,
): LaunchCommand {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  if (platform === 'linux') {
    return { command: 'pkexec', args: ['/usr/bin/env', ...assignments, base.command, ...base.args] };
  }
  if (platform === 'darwin') {
    const line = ['/usr/bin/env', ...assignments, base.command, ...base.args].map(shQuote).join(' ');
    const script = `${line} > ${shQuote(outputFile)} 2>&1 &`;
    return {
      command: '/usr/bin/osascript',
      args: ['-e', `do shell script ${JSON.stringify(script)} with administrator privileges`],
      outputFile,
    };
  }
  if (platform === 'win32') {
    const sets = Object.entries(env)
      .map(([k, v]) => `set "${k}=${v}" && `)
      .join('');
    const inner = `${sets}"${base.command}" ${base.args.map((a) => `"${a}"`).join(' ')} > "${outputFile}" 2>&1`;
    return {
      command: 'powershell.exe',
      args: [
        '-NoProfile',
        '-Command',
        `Start-Process -Verb RunAs -WindowStyle Hidden -FilePath cmd.exe -ArgumentList ${psQuote(`/c ${inner}`)}`,
      ],
      outputFile,
    };
  }
  throw new Error(`Bootlab cannot ask for administrator rights on ${platform}.`);
}

/**
 * Linux, first Start: instead of running the services as root every time, give the one program that runs
 * them (system node from a checkout, Bootlab's own binary in a package) the right to bind ports below 1024,
 * once: `pkexec setcap cap_net_bind_service+ep <binary>` (capabilities(7)). `shown` is the exact command
 * line the dialog prints. Undo with `sudo setcap -r <binary>`; a package upgrade replaces the binary and
 * drops the right, and the offer comes back on the next Start.
 */
export interface CapabilityGrant {
  command: string;
  args: string[];
  shown: string;
}

export function setcapGrant(binary: string, setcapPath: string): CapabilityGrant {
  const args = [setcapPath, 'cap_net_bind_service+ep', binary];
  return { command: 'pkexec', args, shown: ['pkexec', ...args].map(shellWord).join(' ') };
}

const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : shQuote(s));

/** Whether the setcap offer makes sense for this binary; when not, why (for the technician). */
export function capabilityGrantBlocker(
  platform: NodeJS.Platform,
  binary: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (platform !== 'linux') return 'only Linux has file capabilities';
  // An AppImage runs from a read-only image mounted at a new $TMPDIR/.mount_* path on every start.
  if (env.APPIMAGE || binary.startsWith(join(env.TMPDIR || tmpdir(), '.mount_'))) {
    return 'Bootlab runs from an AppImage, whose files are read-only and move on every start; install the .deb package to grant the right once';
  }
  return undefined;
}
