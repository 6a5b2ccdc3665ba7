import type { ZodError, ZodIssue } from 'zod';
import type { FieldProblem } from '../shared/errors.js';

/**
 * Schema errors in a technician's words. zod says `dhcp.reservations.0.ip: Invalid ip`; a person needs
 * "Reservation 1, IP address: not an IPv4 address (like 192.168.1.10)". Node-free: the router, the config
 * store and the CLI use it alike. The UI shows each FieldProblem beside the input of that `field`.
 */

/** Array fields: the label of one element (index + 1 is appended). */
const ITEM_WORDS: Record<string, string> = {
  reservations: 'Reservation',
  overrides: 'Per-machine rule',
  hostRules: 'Per-machine rule',
  entries: 'Entry',
  menus: 'Menu',
  initrds: 'Initrd',
  hosts: 'Machine',
  profiles: 'Profile',
  dnsServers: 'DNS server',
};

/** Field names people know from the forms (the same words the labels use). */
const FIELD_WORDS: Record<string, string> = {
  ip: 'IP address',
  mac: 'MAC address',
  memoryMb: 'Memory (MiB)',
  bootRoot: 'Boot files folder',
  interface: 'Network interface',
  mode: 'mode',
  pool: 'address pool',
  start: 'first address',
  end: 'last address',
  port: 'port',
  proxyPort: 'PXE boot-server port (4011)',
  label: 'label',
  title: 'title',
  kernel: 'kernel file',
  cmdline: 'kernel command line',
  iso: 'ISO file',
  url: 'address',
  hostname: 'host name',
  leaseTime: 'lease time',
  leaseSeconds: 'lease time',
  router: 'router (gateway)',
  domain: 'domain name',
  timeout: 'menu timeout',
  key: 'shortcut key',
  firmware: 'firmware',
  nic: 'network card',
  network: 'network',
  data: 'keys',
  dhcp: 'DHCP',
  tftp: 'TFTP',
  http: 'HTTP',
  syslog: 'syslog',
};

/** Whole paths whose words read better than the sum of their parts (the Settings page's own labels). */
const PATH_WORDS: Record<string, string> = {
  'dhcp.pool': 'Address pool',
  'dhcp.pool.start': 'Address pool, first address',
  'dhcp.pool.end': 'Address pool, last address',
  'dhcp.mode': 'DHCP mode',
  'dhcp.proxyPort': 'PXE boot-server port',
};

function words(name: string): string {
  return FIELD_WORDS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** "dhcp.reservations.0.ip" → "Reservation 1, IP address"; "tftp.port" → "TFTP port". */
export function fieldLabel(path: readonly (string | number)[]): string {
  const whole = PATH_WORDS[path.join('.')];
  if (whole) return whole;
  const parts: string[] = [];
  let pending: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const next = path[i + 1];
    if (typeof seg === 'string' && typeof next === 'number') {
      parts.push(`${ITEM_WORDS[seg] ?? words(seg)} ${next + 1}`);
      pending = [];
      i++;
      continue;
    }
    if (typeof seg === 'string') pending.push(words(seg));
    const last = i === path.length - 1;
    if (last && pending.length > 0) parts.push(pending.join(' '));
  }
  const text = parts.join(', ') || 'The request';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One issue as a sentence without the path, saying what a valid value looks like. */
export function issueSentence(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_string':
      if (issue.validation === 'ip') return 'This is not an IPv4 address (like 192.168.1.10).';
      if (issue.validation === 'url') return 'This is not a web address (like http://10.0.0.1/file).';
      if (issue.validation === 'regex' && issue.message && issue.message !== 'Invalid') {
        return mustBe(issue.message);
      }
      return 'This text is not in the expected form.';
    case 'too_small':
      if (issue.type === 'string') {
        return Number(issue.minimum) <= 1
          ? 'This is empty: fill it in.'
          : `This needs at least ${issue.minimum} characters.`;
      }
      if (issue.type === 'array') {
        return Number(issue.minimum) <= 1 ? 'Add at least one.' : `Add at least ${issue.minimum}.`;
      }
      return `This must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.type === 'string') return `This is too long: at most ${issue.maximum} characters.`;
      if (issue.type === 'array') return `There can be at most ${issue.maximum}.`;
      return `This must be at most ${issue.maximum}.`;
    case 'invalid_type':
      if (issue.received === 'undefined') return 'This is missing: fill it in.';
      if (issue.expected === 'number' || issue.expected === 'integer') return 'This must be a number.';
      if (issue.expected === 'string') return 'This must be text.';
      return `This must be ${issue.expected === 'boolean' ? 'on or off' : `a ${issue.expected}`}.`;
    case 'invalid_enum_value':
      return `Choose one of: ${issue.options.map(String).join(', ')}.`;
    case 'invalid_literal':
      return `This must be ${JSON.stringify(issue.expected)}.`;
    case 'not_multiple_of':
      return `This must be a multiple of ${String(issue.multipleOf)}.`;
    case 'unrecognized_keys':
      return `Unknown setting${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}. Remove ${issue.keys.length > 1 ? 'them' : 'it'}.`;
    case 'invalid_union_discriminator':
      return `Choose one of: ${issue.options.map(String).join(', ')}.`;
    default:
      return mustBe(issue.message);
  }
}

/** Schema messages are written as descriptions ("a MAC address like …"): turn them into a sentence. */
function mustBe(message: string): string {
  const text = message.trim().replace(/\.$/, '');
  if (/^(a|an|one|at most|at least|no|only)\b/i.test(text)) return `This must be ${text}.`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Every issue of a zod error as FieldProblems (one per field, the first issue wins), all at once. */
export function fieldProblemsFromZod(
  error: ZodError,
  prefix: readonly (string | number)[] = [],
): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    const field = path.join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issueSentence(issue) });
  }
  return out;
}

/** One line naming every problem by its label: "Reservation 1, IP address: this is not an IPv4 address…". */
export function describeFieldProblems(problems: readonly FieldProblem[]): string {
  return problems
    .map((p) => {
      const label = fieldLabel(p.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
      return `${label}: ${p.message.charAt(0).toLowerCase()}${p.message.slice(1)}`;
    })
    .join(' ')
    .trim();
}
