import { parseArgs } from 'node:util';
import { isIPv4 } from 'node:net';
import { resolve } from 'node:path';
import { BootlabError } from './shared/errors.js';
import type { ServiceName } from './shared/events.js';
import { SERVICE_NAMES } from './shared/events.js';

/** Flags shared by `serve` and `boot`. Each one maps to a profile setting (saved) or a launch option. */
const OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  interface: { type: 'string' },
  dhcp: { type: 'string' },
  'force-full': { type: 'boolean' },
  pool: { type: 'string' },
  'boot-root': { type: 'string' },
  'ui-port': { type: 'string' },
  'ui-dir': { type: 'string' },
  'http-port': { type: 'string' },
  'tftp-port': { type: 'string' },
  'syslog-port': { type: 'string' },
  'dhcp-port': { type: 'string' },
  'proxy-port': { type: 'string' },
  services: { type: 'string' },
  'no-start': { type: 'boolean' },
  quiet: { type: 'boolean' },
  kernel: { type: 'string' },
  initrd: { type: 'string', multiple: true },
  cmdline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export const HELP = `Bootlab: network-boot every machine on the bench (DHCP/proxyDHCP, TFTP, HTTP, iPXE menus).

Usage:
  bootlab serve [options]                      run the services and the UI (headless: open the printed URL)
  bootlab boot --kernel FILE [--initrd FILE ...] [--cmdline STR] [options]
                                               boot one kernel on every client that network-boots
  bootlab build --source DIR|TARBALL|GIT-URL[#REF] --target TARGET [--feature LIST] [--embed FILE]
                                               build an iPXE image (bootlab build --help); prints its path last
  bootlab --help | --version

Options (saved to the active profile unless noted):
  --config FILE          settings file (default: <data dir>/config.json)            [launch only]
  --data-dir DIR         where settings and leases live (default: per-OS app data)  [launch only]
  --interface NAME       network port the clients are cabled to (e.g. eth0)
  --dhcp MODE            auto | off | proxy | full  (auto: proxy if another DHCP server answers, else full)
  --force-full           with --dhcp full: start even if another DHCP server answers (you confirm you own the network)
  --pool START-END       addresses handed out in full mode, e.g. 10.77.0.100-10.77.0.199
  --boot-root DIR        folder served by TFTP and HTTP (default: <data dir>/boot)
  --ui-port N            port of the UI and control API on 127.0.0.1 (default 47380, or a free one when
                         that is taken; 0 always picks a free one)                [launch only]
  --ui-dir DIR           built UI to serve (default: dist/renderer)                [launch only]
  --http-port N          HTTP boot server port (default 80, falls back to 8080 without privileges)
  --tftp-port N          TFTP port (default 69)
  --syslog-port N        syslog receiver port (default 514)
  --dhcp-port N          DHCP server port (default 67)
  --proxy-port N         PXE boot-server port (default 4011)
  --services LIST        services to start now, comma-separated (default: dhcp,tftp,http,syslog) [launch only]
  --no-start             start no service now; use the UI's Start buttons          [launch only]
  --quiet                no log lines on stderr                                    [launch only]
  -h, --help             this help

Ports below 1024 need privileges: run as root, or on Linux grant Node the right once:
  sudo setcap cap_net_bind_service+ep "$(readlink -f "$(which node)")"`;

export interface ParsedCli {
  command: 'serve' | 'boot' | 'help' | 'version';
  dataDir?: string;
  configPath?: string;
  /** undefined: the fixed default port, or a free one when it is taken (services/core/ui-access.ts). */
  uiPort: number | undefined;
  uiDir?: string;
  startServices: ServiceName[];
  quiet: boolean;
  profilePatch: Record<string, unknown>;
  quickBoot?: { kernel: string; initrds: string[]; cmdline: string };
}

function usage(message: string): BootlabError {
  return new BootlabError('BAD_REQUEST', message, 'Run "bootlab --help" for the options.');
}

function port(flag: string, value: string | undefined, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) {
    throw usage(
      `--${flag} must be a port number${allowZero ? ' (0 picks a free one)' : ''}, not "${value}".`,
    );
  }
  return n;
}

export function parseCli(argv: string[]): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw usage((err as Error).message.replace(/\. To specify.*$/s, '.'));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { command: 'help', uiPort: 0, startServices: [], quiet: false, profilePatch: {} };
  if (v.version) return { command: 'version', uiPort: 0, startServices: [], quiet: false, profilePatch: {} };
  const command = positionals[0];
  if (command !== 'serve' && command !== 'boot') {
    throw usage(
      command ? `Unknown command "${command}".` : 'Say what to do: "bootlab serve" or "bootlab boot".',
    );
  }
  if (positionals.length > 1) throw usage(`Unexpected argument "${positionals[1]}".`);

  const patch: Record<string, unknown> = {};
  const dhcp: Record<string, unknown> = {};
  if (v.interface !== undefined) patch.interface = v.interface;
  if (v.dhcp !== undefined) {
    if (!['auto', 'off', 'proxy', 'full'].includes(v.dhcp))
      throw usage(`--dhcp must be auto, off, proxy or full, not "${v.dhcp}".`);
    dhcp.mode = v.dhcp;
  }
  if (v['force-full']) {
    if (v.dhcp !== 'full') throw usage('--force-full only goes with --dhcp full.');
    dhcp.forceFull = true;
  }
  if (v.pool !== undefined) {
    const [start, end, extra] = v.pool.split('-');
    if (!start || !end || extra !== undefined || !isIPv4(start) || !isIPv4(end)) {
      throw usage(
        `--pool must be START-END with two IPv4 addresses, e.g. 10.77.0.100-10.77.0.199, not "${v.pool}".`,
      );
    }
    if (ipToInt(start) > ipToInt(end)) throw usage(`--pool starts after it ends (${v.pool}).`);
    dhcp.pool = { start, end };
  }
  const dhcpPort = port('dhcp-port', v['dhcp-port']);
  const proxyPort = port('proxy-port', v['proxy-port']);
  if (dhcpPort !== undefined) dhcp.port = dhcpPort;
  if (proxyPort !== undefined) dhcp.proxyPort = proxyPort;
  if (Object.keys(dhcp).length > 0) patch.dhcp = dhcp;
  if (v['boot-root'] !== undefined) patch.bootRoot = resolve(v['boot-root']);
  const httpPort = port('http-port', v['http-port'], true);
  if (httpPort !== undefined) patch.http = { port: httpPort };
  const tftpPort = port('tftp-port', v['tftp-port']);
  if (tftpPort !== undefined) patch.tftp = { port: tftpPort };
  const syslogPort = port('syslog-port', v['syslog-port']);
  if (syslogPort !== undefined) patch.syslog = { port: syslogPort };

  let startServices: ServiceName[] = [...SERVICE_NAMES];
  if (v.services !== undefined) {
    startServices = v.services
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as ServiceName[];
    const bad = startServices.find((s) => !SERVICE_NAMES.includes(s));
    if (bad) throw usage(`--services: unknown service "${bad}" (known: ${SERVICE_NAMES.join(', ')}).`);
  }
  if (v['no-start']) startServices = [];
  if (v.dhcp === 'off') startServices = startServices.filter((s) => s !== 'dhcp');

  const out: ParsedCli = {
    command,
    dataDir: v['data-dir'] !== undefined ? resolve(v['data-dir']) : undefined,
    configPath: v.config !== undefined ? resolve(v.config) : undefined,
    uiPort: port('ui-port', v['ui-port'], true),
    uiDir: v['ui-dir'] !== undefined ? resolve(v['ui-dir']) : undefined,
    startServices,
    quiet: v.quiet ?? false,
    profilePatch: patch,
  };
  if (command === 'boot') {
    if (!v.kernel) throw usage('"bootlab boot" needs --kernel FILE (the Linux kernel to boot).');
    out.quickBoot = {
      kernel: resolve(v.kernel),
      initrds: (v.initrd ?? []).map((f) => resolve(f)),
      cmdline: v.cmdline ?? '',
    };
  } else if (v.kernel || v.initrd || v.cmdline) {
    throw usage('--kernel, --initrd and --cmdline go with "bootlab boot", not "serve".');
  }
  return out;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
