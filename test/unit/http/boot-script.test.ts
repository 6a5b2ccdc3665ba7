import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultBootScript,
  renderBootScript,
  withPreamble,
  type ScriptContext,
} from '../../../services/http/boot-script.js';

const ctx: ScriptContext = { httpBase: 'http://10.77.0.1:8080', serverAddress: '10.77.0.1', syslogPort: 514 };

test('withPreamble adds the shebang and syslog once, right after #!ipxe', () => {
  assert.equal(withPreamble('#!ipxe\necho hi\n', ctx), '#!ipxe\nset syslog 10.77.0.1\necho hi\n');
  assert.equal(withPreamble('echo hi\n', ctx), '#!ipxe\nset syslog 10.77.0.1\necho hi\n');
  assert.equal(withPreamble('#!ipxe\nset syslog 1.2.3.4\n', ctx), '#!ipxe\nset syslog 1.2.3.4\n');
  assert.equal(withPreamble('#!ipxe\necho hi\n', { ...ctx, syslogPort: null }), '#!ipxe\necho hi\n');
  assert.equal(withPreamble('#!ipxe', ctx), '#!ipxe\nset syslog 10.77.0.1\n');
});

test('a syslog receiver on another port is noted (iPXE only sends to 514)', () => {
  const s = withPreamble('#!ipxe\n', { ...ctx, syslogPort: 5514 });
  assert.match(s, /^#!ipxe\n# Bootlab's syslog listens on 5514.*\nset syslog 10\.77\.0\.1\n/);
});

test('the built-in script is a complete menu with check-ins, and client text cannot inject commands', () => {
  const s = defaultBootScript(
    { ip: '10.77.0.5', mac: '52:54:00:00:00:05', product: 'X || shell ; reboot' },
    ctx,
  );
  const lines = s.split('\n');
  assert.equal(lines[0], '#!ipxe');
  assert.equal(lines[1], 'set syslog 10.77.0.1');
  for (const label of [':local', ':shell', ':reboot', ':bootlab_menu'])
    assert.ok(lines.includes(label), label);
  assert.ok(lines.some((l) => l.startsWith('choose ')));
  assert.ok(lines.some((l) => l.includes('/checkin?') && l.includes('event=menu')));
  assert.ok(lines.some((l) => l.includes('event=chosen&entry=${selected:uristring}')));
  const who = lines.find((l) => l.startsWith('echo Bootlab: 52'))!;
  assert.ok(!who.includes('||') && !who.includes(';'), who);
});

test('renderBootScript: provider result, provider failure, empty provider result', async () => {
  const client = { ip: '10.77.0.5' };
  assert.equal(
    await renderBootScript(client, () => '#!ipxe\nexit\n', ctx),
    '#!ipxe\nset syslog 10.77.0.1\nexit\n',
  );
  const errors: unknown[] = [];
  const failed = await renderBootScript(
    client,
    async () => Promise.reject(new Error('x')),
    ctx,
    (e) => errors.push(e),
  );
  assert.match(failed, /^#!ipxe\n/);
  assert.match(failed, /could not be built/);
  assert.equal(errors.length, 1);
  const empty = await renderBootScript(
    client,
    () => '  ',
    ctx,
    (e) => errors.push(e),
  );
  assert.match(empty, /^#!ipxe\n/);
  assert.equal(errors.length, 2);
  assert.match(await renderBootScript(client, null, ctx), /no boot menu is configured yet/);
});
