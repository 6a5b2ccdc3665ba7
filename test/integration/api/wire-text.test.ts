import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

// Oversized and binary host names and fields over syslog (UDP to loopback) and the HTTP check-in end up
// capped and clean in GET /api/clients: no control bytes, no broken text, host names at most 64 characters.
let app: RunningBootlab;
let dataDir: string;
let httpPort: number;
let syslogPort: number;
const auth = (): Record<string, string> => ({ 'x-bootlab-token': app.token });

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-wire-text-'));
  [httpPort, syslogPort] = [await freePort('tcp'), await freePort('udp')];
  const tftp = await freePort('udp');
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--no-start', '--quiet'],
    ...['--http-port', String(httpPort), '--tftp-port', String(tftp), '--syslog-port', String(syslogPort)],
    ...['--ui-port', '0'],
  ]);
  for (const name of ['syslog', 'http']) {
    const r = await fetch(`${app.base}/api/services/${name}/start`, { method: 'POST', headers: auth() });
    const { state } = (await r.json()) as { state: { state: string } };
    assert.equal(state.state, 'running', `${name} started`);
  }
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function sendSyslog(datagrams: Buffer[]): Promise<void> {
  const sock = createSocket('udp4');
  return new Promise((resolve, reject) => {
    let left = datagrams.length;
    for (const d of datagrams)
      sock.send(d, syslogPort, '127.0.0.1', (err) => {
        if (err) reject(err);
        else if (--left === 0) {
          sock.close();
          resolve();
        }
      });
  });
}

/** Every string anywhere in a JSON value, with its path. */
function strings(v: unknown, path = ''): Array<[string, string]> {
  if (typeof v === 'string') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => strings(x, path ? `${path}.${k}` : k));
  return [];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('oversized and binary host names over syslog and check-in are stored capped and clean', async () => {
  const longName = 'pc' + 'x'.repeat(3000);
  await sendSyslog([
    // iPXE's shape with a 3,000-character host name (as the flood had).
    Buffer.from(`<14>${longName} ipxe: DHCP (net0 52:54:00:aa:bb:cc)... ok`),
    // Terminal escapes and C1 controls in the host name and the message.
    Buffer.from(`<14>bench\x1b[31m\u0085pc ipxe: http://127.0.0.1/boot.ipxe\x07... \x1b[2Jok`),
    // Raw binary: invalid UTF-8 in the host name (dropped as binary or cleaned; never stored raw).
    Buffer.concat([Buffer.from('<14>bad'), Buffer.from([0xff, 0xfe, 0x01]), Buffer.from('host ipxe: hello')]),
    // A long message with a 3,000-character error text.
    Buffer.from(`<11>pc ipxe: Could not boot: ${'E'.repeat(3000)} (https://ipxe.org/3e11623b)`),
  ]);
  const binary = '%FF%FE%01%1B%5B31m%C2%85';
  const checkin = await fetch(
    `http://127.0.0.1:${httpPort}/checkin?mac=52:54:00:aa:bb:cc&event=menu&entry=${'L'.repeat(3000)}` +
      `&hostname=${'h'.repeat(3000)}&serial=SN${binary}123&manufacturer=${'M'.repeat(3000)}&product=${binary}`,
  );
  assert.equal(checkin.status, 200);
  await checkin.text();

  let clients: unknown[] = [];
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const r = await fetch(`${app.base}/api/clients`, { headers: auth() });
    clients = ((await r.json()) as { clients: unknown[] }).clients;
    if (JSON.stringify(clients).includes('Could not boot') && JSON.stringify(clients).includes('SN')) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const text = JSON.stringify(clients);
  assert.ok(text.includes('Could not boot'), `the syslog lines arrived: ${text.slice(0, 500)}`);
  assert.ok(text.includes('SN'), `the check-in arrived: ${text.slice(0, 500)}`);

  const all = strings(clients);
  for (const [path, value] of all) {
    assert.doesNotMatch(
      value,
      CONTROL,
      `${path} holds a control character: ${JSON.stringify(value.slice(0, 80))}`,
    );
    assert.doesNotMatch(value, LONE_SURROGATE, `${path} holds broken text`);
    assert.ok(Array.from(value).length <= 2048, `${path} is ${value.length} characters long`);
  }
  const hostnames = all.filter(([p]) => /(^|\.)hostname$/.test(p)).map(([, v]) => v);
  assert.ok(hostnames.length > 0, 'a host name was stored');
  for (const h of hostnames) assert.ok(Array.from(h).length <= 64, `host name of ${h.length} characters`);
  assert.ok(
    hostnames.some((h) => h.endsWith('…')),
    `a capped host name shows it was cut: ${JSON.stringify(hostnames)}`,
  );
  assert.ok(
    !text.includes('x'.repeat(100)) && !text.includes('h'.repeat(300)) && !text.includes('M'.repeat(300)),
  );
  const errors = all.filter(([p]) => /(^|\.)(error|problem)$/.test(p));
  for (const [path, v] of errors)
    assert.ok(Array.from(v).length <= 500, `${path} is ${v.length} characters long`);
});

test('a 3,000-character or control-character menu label is refused at save, in plain words', async () => {
  const state = (await (await fetch(`${app.base}/api/menu`, { headers: auth() })).json()) as {
    menu: { menus: { entries: { label?: string }[] }[] };
  };
  for (const label of ['L'.repeat(3000), 'Boot \x1b[2J now']) {
    const menu = structuredClone(state.menu);
    const entry = menu.menus[0]!.entries.find((e) => e.label !== undefined)!;
    entry.label = label;
    const r = await fetch(`${app.base}/api/menu`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(menu),
    });
    const body = (await r.json()) as { error: { message: string } };
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 300));
    // Plain words naming the entry, not the schema's phrasing.
    assert.match(body.error.message, /local: .*(at most 200 characters|control characters)/i);
    assert.doesNotMatch(body.error.message, /String must contain/);
  }
  const after = (await (await fetch(`${app.base}/api/menu`, { headers: auth() })).json()) as unknown;
  assert.deepEqual((after as typeof state).menu, state.menu, 'nothing was saved');
});
