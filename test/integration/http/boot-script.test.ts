import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BootClientInfo } from '../../../services/core/runtime.js';
import { bootScriptUrl } from '../../../services/ipxe/chain.js';
import { checkinUrl } from '../../../services/ipxe/checkin.js';
import { curl, startHttp, waitForPayload, type RunningHttp } from './harness.js';

// /boot.ipxe, /first-stage.ipxe, /checkin and HTTP auth, asked by curl the way iPXE asks.

const IPXE_UA = 'iPXE/1.21.1';
let h: RunningHttp;
const seen: BootClientInfo[] = [];

before(async () => {
  h = await startHttp(
    {
      auth: [
        { pathPrefix: '/private/', username: 'tech', password: 's3cret', scheme: 'both', realm: 'Bootlab' },
        { pathPrefix: '/digest-only/', username: 'tech', password: 's3cret', scheme: 'digest', realm: 'Lab' },
      ],
    },
    (root) => {
      mkdirSync(join(root, 'private'));
      mkdirSync(join(root, 'digest-only'));
      writeFileSync(join(root, 'private', 'install.wim'), 'PRIVATE-BYTES');
      writeFileSync(join(root, 'digest-only', 'x.img'), 'DIGEST-BYTES');
    },
  );
  h.runtime.syslogPort = 514;
});

after(async () => {
  await h.stop();
});

/** The query iPXE 1.21.1 sends after expanding bootScriptUrl() for a QEMU machine. */
const ipxeQuery =
  'mac=52-54-00-12-34-56&ip=127.0.0.1&platform=pcbios&buildarch=i386&manufacturer=QEMU' +
  '&product=Standard%20PC%20%28i440FX%20%2B%20PIIX%2C%201996%29&serial=SN%2F0042&uuid=8C4E9F1A-2B3C-4D5E-8F90-A1B2C3D4E5F6' +
  '&asset=&hostname=pc01';

test('an iPXE-shaped request gets the per-host script, with syslog set first', async () => {
  h.runtime.bootScript = (client, ctx) => {
    seen.push(client);
    return `#!ipxe\necho per-host menu for ${client.mac} (${client.product})\nchain ${ctx.httpBase}/menus/${client.mac}.ipxe\n`;
  };
  const r = await curl(`${h.base}/boot.ipxe?${ipxeQuery}`, ['-A', IPXE_UA, '-H', 'Connection: keep-alive']);
  assert.equal(r.status, 200);
  const lines = r.body.toString().split('\n');
  assert.equal(lines[0], '#!ipxe');
  assert.equal(lines[1], 'set syslog 127.0.0.1');
  // The HTTP service runs PeerDist's hosted cache by default, so clients are pointed at it next.
  assert.match(lines[2] ?? '', /^set peerhost 127\.0\.0\.1:\d+$/);
  assert.equal(lines[3], 'echo per-host menu for 52:54:00:12:34:56 (Standard PC (i440FX + PIIX, 1996))');
  assert.equal(lines[4], `chain ${h.base}/menus/52:54:00:12:34:56.ipxe`);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.deepEqual(seen.at(-1), {
    ip: '127.0.0.1',
    mac: '52:54:00:12:34:56',
    platform: 'pcbios',
    buildarch: 'i386',
    manufacturer: 'QEMU',
    product: 'Standard PC (i440FX + PIIX, 1996)',
    serial: 'SN/0042',
    uuid: '8c4e9f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6',
    hostname: 'pc01',
  });
  const ev = await waitForPayload(h, 'http.download', (p) => p.path === '/boot.ipxe' && p.phase === 'end');
  assert.equal(ev.userAgent, IPXE_UA);
  assert.equal(ev.result, 'completed');
});

test('a malformed query still gets a working script; the MAC comes from the lease', async () => {
  h.runtime.bootScript = null;
  h.runtime.rememberClient('127.0.0.1', 'AA:BB:CC:00:11:22');
  const bad =
    'mac=zz-zz&ip=999.1.1.1&platform=%3Cscript%3E&uuid=nope&manufacturer=%ZZ%E0&product=A%20%7C%7C%20shell%0Areboot&foo&&=&x=%';
  const r = await curl(`${h.base}/boot.ipxe?${bad}`, ['-A', IPXE_UA]);
  assert.equal(r.status, 200);
  const script = r.body.toString();
  assert.ok(script.startsWith('#!ipxe\nset syslog 127.0.0.1\n'));
  assert.match(script, /aa:bb:cc:00:11:22/);
  assert.match(script, /^choose .* selected/m);
  // Client text never becomes iPXE syntax: no "||" or newline smuggled in from the product name.
  const echo = script.split('\n').find((l) => l.startsWith('echo Bootlab: ') && l.includes('shell'));
  assert.ok(echo && !echo.includes('||'), echo);
});

test('a boot menu that throws still gives the client the built-in script', async () => {
  h.runtime.bootScript = () => {
    throw new Error('menu broken');
  };
  const r = await curl(`${h.base}/boot.ipxe?mac=`, ['-A', IPXE_UA]);
  assert.equal(r.status, 200);
  assert.match(r.body.toString(), /^#!ipxe\n/);
  assert.match(r.body.toString(), /could not be built/);
  h.runtime.bootScript = null;
});

test('a provider script without the shebang gets #!ipxe and syslog prepended', async () => {
  h.runtime.bootScript = () => 'echo hello\n';
  const r = await curl(`${h.base}/boot.ipxe?mac=52:54:00:00:00:01`);
  h.runtime.bootScript = null;
  assert.match(
    r.body.toString(),
    /^#!ipxe\nset syslog 127\.0\.0\.1\nset peerhost 127\.0\.0\.1:\d+\necho hello\n$/,
  );
});

test('iPXE asking for a bare /boot.ipxe gets the first stage, which asks again with its identity', async () => {
  const r = await curl(`${h.base}/boot.ipxe`, ['-A', IPXE_UA]);
  assert.equal(r.status, 200);
  assert.ok(r.body.toString().includes(`chain --autofree --replace ${bootScriptUrl(h.base)} ||`));
  // Other clients (curl, a browser) get the script for their own address.
  const plain = await curl(`${h.base}/boot.ipxe`);
  assert.match(plain.body.toString(), /^choose /m);
});

test('/first-stage.ipxe chains /boot.ipxe with iPXE settings in the query', async () => {
  const r = await curl(`${h.base}/first-stage.ipxe`);
  assert.equal(r.status, 200);
  const script = r.body.toString();
  assert.ok(script.startsWith('#!ipxe\n'));
  assert.ok(script.includes(`chain --autofree --replace ${bootScriptUrl(h.base)} || goto bootlab_failed`));
  assert.ok(bootScriptUrl(h.base).includes('manufacturer=${manufacturer:uristring}'));
});

test('check-in: the URL the menu lines fetch becomes an http.checkin event and a tiny script', async () => {
  // What iPXE sends after expanding checkinUrl(base, "chosen", { entryExpression: "${selected:uristring}" }).
  const template = checkinUrl(h.base, 'chosen', { entryExpression: '${selected:uristring}' });
  const url = template
    .replace('${netX/mac:hexhyp}', '52-54-00-aa-bb-cc')
    .replace('${netX/ip}', '127.0.0.1')
    .replace('${selected:uristring}', 'ubuntu%2024.04');
  const r = await curl(url, ['-A', IPXE_UA]);
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), '#!ipxe\n');
  const p = await waitForPayload(h, 'http.checkin', (c) => c.event === 'chosen');
  assert.equal(p.mac, '52:54:00:aa:bb:cc');
  assert.equal(p.entry, 'ubuntu 24.04');
  assert.equal(p.client, '127.0.0.1');
  assert.equal(p.details['ip'], '127.0.0.1');
  // A check-in without a usable event word is ignored but still answered with a valid script.
  const junk = await curl(`${h.base}/checkin?event=%00%01&mac=bad`);
  assert.equal(junk.body.toString(), '#!ipxe\n');
});

test('auth: 401 with Digest offered first, then Basic; Digest and Basic credentials work; wrong ones do not', async () => {
  const none = await curl(`${h.base}/private/install.wim`);
  assert.equal(none.status, 401);
  const challenges = none.headerLines.filter(([k]) => k === 'www-authenticate').map(([, v]) => v);
  assert.equal(challenges.length, 2);
  assert.match(challenges[0]!, /^Digest realm="Bootlab", qop="auth", algorithm=MD5, nonce="/);
  assert.match(challenges[1]!, /^Basic realm="Bootlab"/);
  const digest = await curl(`${h.base}/private/install.wim`, ['--digest', '-u', 'tech:s3cret']);
  assert.equal(digest.status, 200);
  assert.equal(digest.body.toString(), 'PRIVATE-BYTES');
  const basic = await curl(`${h.base}/private/install.wim`, ['--basic', '-u', 'tech:s3cret']);
  assert.equal(basic.status, 200);
  const wrong = await curl(`${h.base}/private/install.wim`, ['--digest', '-u', 'tech:nope']);
  assert.equal(wrong.status, 401);
  const wrongBasic = await curl(`${h.base}/private/install.wim`, ['--basic', '-u', 'other:s3cret']);
  assert.equal(wrongBasic.status, 401);
  // Encoded paths cannot sneak around the prefix check (it runs on the decoded path).
  const sneaky = await curl(`${h.base}/%70rivate/install.wim`);
  assert.equal(sneaky.status, 401);
  // Digest-only prefix refuses Basic even with the right password.
  const basicOnDigest = await curl(`${h.base}/digest-only/x.img`, ['--basic', '-u', 'tech:s3cret']);
  assert.equal(basicOnDigest.status, 401);
  const digestOk = await curl(`${h.base}/digest-only/x.img`, ['--digest', '-u', 'tech:s3cret']);
  assert.equal(digestOk.body.toString(), 'DIGEST-BYTES');
  // Unprotected paths need nothing.
  const open = await curl(`${h.base}/boot.ipxe`);
  assert.equal(open.status, 200);
});
