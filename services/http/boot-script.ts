import { peerhostLines } from '../peerdist/script-lines.js';
import type { BootClientInfo, BootScriptProvider } from '../core/runtime.js';
import { checkinLines } from '../ipxe/checkin.js';
import { ipxeClientText } from '../ipxe/script-text.js';

/**
 * The per-client script served as /boot.ipxe. The menu manager provides the real one through
 * runtime.bootScript; until it does (or if it fails), a built-in script still lets the machine do something
 * useful. Whatever the source, the script starts with `#!ipxe` and sets `syslog` to Bootlab, so everything
 * iPXE prints afterwards reaches the dashboard (the syslog console follows settings changes at once:
 * src/net/udp/syslog.c, a settings applicator).
 */

export interface ScriptContext {
  httpBase: string;
  serverAddress: string;
  /** Set when Bootlab's syslog receiver runs. iPXE always sends to UDP 514 (SYSLOG_PORT, include/ipxe/syslog.h). */
  syslogPort: number | null;
  /** Hosted cache for `set peerhost` (services/peerdist), when it runs and Settings ask for it. */
  peerHost?: string | null;
}

/** `set syslog <addr>` when syslog is running; iPXE's `syslog` setting is an IPv4 address, no port. */
export function syslogLines(ctx: ScriptContext): string[] {
  if (ctx.syslogPort === null) return [];
  const lines = [`set syslog ${ctx.serverAddress}`];
  if (ctx.syslogPort !== 514) {
    lines.unshift(`# Bootlab's syslog listens on ${ctx.syslogPort}, but iPXE only sends to port 514.`);
  }
  return lines;
}

/** Makes sure a script starts with `#!ipxe` and, right after it, the syslog lines (unless it sets syslog itself). */
export function withPreamble(script: string, ctx: ScriptContext): string {
  let body = script.replace(/^\uFEFF/, '');
  const first = body.split('\n', 1)[0]!.trim();
  if (!/^#!\s*ipxe\b/i.test(first)) body = `#!ipxe\n${body}`;
  if (/^\s*set\s+syslog\s/m.test(body)) return body;
  const extra = [...syslogLines(ctx), ...peerhostLines(ctx.peerHost)];
  if (extra.length === 0) return body;
  const nl = body.indexOf('\n');
  return nl < 0
    ? `${body}\n${extra.join('\n')}\n`
    : `${body.slice(0, nl + 1)}${extra.join('\n')}\n${body.slice(nl + 1)}`;
}

/** The built-in script: says who the machine is, reports the check-in, offers local boot / shell / reboot. */
export function defaultBootScript(client: BootClientInfo, ctx: ScriptContext, note?: string): string {
  const who = [
    client.hostname,
    client.mac ?? 'unknown MAC',
    client.ip,
    client.manufacturer && client.product
      ? `${client.manufacturer} ${client.product}`
      : (client.product ?? client.manufacturer),
  ]
    .filter((x): x is string => !!x)
    .map((x) => ipxeClientText(x, 60))
    .join(' / ');
  return [
    '#!ipxe',
    ...syslogLines(ctx),
    ...peerhostLines(ctx.peerHost),
    `echo Bootlab: ${who}`,
    note
      ? `echo Bootlab: ${ipxeClientText(note)}`
      : 'echo Bootlab: no boot menu is configured yet; add entries in Bootlab.',
    ...checkinLines(ctx.httpBase, 'menu', { entry: 'bootlab-default' }),
    ':bootlab_menu',
    'menu Bootlab (no menu configured)',
    'item --key l local Boot from local disk',
    'item --key s shell iPXE shell',
    'item --key r reboot Reboot',
    'choose --default local --timeout 30000 selected || goto local',
    ...checkinLines(ctx.httpBase, 'chosen', { entryExpression: '${selected:uristring}' }),
    'goto ${selected}',
    ':local',
    'echo Bootlab: booting from local disk',
    'exit 0',
    ':shell',
    'shell',
    'goto bootlab_menu',
    ':reboot',
    'reboot',
    '',
  ].join('\n');
}

/**
 * Renders /boot.ipxe for one client: the provider's script when there is one (with the preamble ensured),
 * else the built-in one. A provider that throws or returns nothing never breaks the boot: the client gets
 * the built-in script with a note, and onError is told (for the log).
 */
export async function renderBootScript(
  client: BootClientInfo,
  provider: BootScriptProvider | null,
  ctx: ScriptContext,
  onError: (err: unknown) => void = () => {},
): Promise<string> {
  if (provider) {
    try {
      const script = await provider(client, { httpBase: ctx.httpBase });
      if (typeof script === 'string' && script.trim() !== '') return withPreamble(script, ctx);
      onError(new Error('the boot menu produced an empty script'));
    } catch (err) {
      onError(err);
    }
    return defaultBootScript(client, ctx, 'the boot menu could not be built; see the Bootlab log.');
  }
  return defaultBootScript(client, ctx);
}
