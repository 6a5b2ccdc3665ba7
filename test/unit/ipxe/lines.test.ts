import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootScriptUrl, firstStageScript } from '../../../services/ipxe/chain.js';
import { checkinLines, checkinUrl } from '../../../services/ipxe/checkin.js';
import { ipxeClientText as ipxeSafeText } from '../../../services/ipxe/script-text.js';
import { parseClientQuery } from '../../../services/http/client-query.js';

test('bootScriptUrl puts every identity setting in the query, text ones uristring-encoded', () => {
  const url = bootScriptUrl('http://10.77.0.1:8080/');
  assert.ok(url.startsWith('http://10.77.0.1:8080/boot.ipxe?mac=${netX/mac:hexhyp}&ip=${netX/ip}&'));
  for (const k of ['manufacturer', 'product', 'serial', 'asset', 'hostname'])
    assert.ok(url.includes(`${k}=\${${k}:uristring}`), k);
  for (const k of ['platform', 'buildarch', 'uuid']) assert.ok(url.includes(`${k}=\${${k}}`), k);
  // No whitespace or '#': iPXE splits lines on whitespace and treats '#' tokens as comments (src/core/exec.c).
  assert.doesNotMatch(url, /[\s#]/);
});

test('what iPXE sends for that URL parses back into the client info', () => {
  const expanded = bootScriptUrl('http://s')
    .split('?')[1]!
    .replace('${netX/mac:hexhyp}', '52-54-00-12-34-56')
    .replace('${netX/ip}', '10.0.0.9')
    .replace('${platform}', 'pcbios')
    .replace('${buildarch}', 'i386')
    .replace('${manufacturer:uristring}', 'QEMU')
    .replace('${product:uristring}', 'Standard%20PC')
    .replace('${serial:uristring}', '')
    .replace('${uuid}', '')
    .replace('${asset:uristring}', '')
    .replace('${hostname:uristring}', '');
  const info = parseClientQuery(expanded, '10.0.0.9');
  assert.deepEqual(info, {
    ip: '10.0.0.9',
    mac: '52:54:00:12:34:56',
    platform: 'pcbios',
    buildarch: 'i386',
    manufacturer: 'QEMU',
    product: 'Standard PC',
  });
});

test('firstStageScript: shebang, network up if needed, chain with --replace, retry on failure', () => {
  const s = firstStageScript('http://10.77.0.1', { retrySeconds: 3 });
  const lines = s.split('\n');
  assert.equal(lines[0], '#!ipxe');
  assert.ok(lines.includes('isset ${netX/ip} || dhcp || goto bootlab_failed'));
  assert.ok(
    lines.includes(`chain --autofree --replace ${bootScriptUrl('http://10.77.0.1')} || goto bootlab_failed`),
  );
  assert.ok(lines.includes('sleep 3'));
  assert.ok(lines.includes('goto bootlab_retry'));
});

test('checkinLines: one line that never fails the script, entry literal or expression', () => {
  const [line] = checkinLines('http://10.77.0.1:8080', 'booting', { entry: 'ubuntu 24.04' });
  assert.equal(
    line,
    'imgfetch --name bootlab-checkin http://10.77.0.1:8080/checkin?mac=${netX/mac:hexhyp}&ip=${netX/ip}&event=booting&entry=ubuntu%2024.04 && imgfree bootlab-checkin ||',
  );
  assert.ok(
    checkinUrl('http://x', 'chosen', { entryExpression: '${selected:uristring}' }).endsWith(
      '&event=chosen&entry=${selected:uristring}',
    ),
  );
});

test('ipxeSafeText removes separators, comments, expansions and newlines', () => {
  assert.equal(ipxeSafeText('A || shell\nreboot ${x} # c; d && e'), 'A __ shell_reboot __x_ _ c_ d __ e');
  assert.equal(ipxeSafeText('Dell Inc. OptiPlex 7090 (SN: 1-2/3)'), 'Dell Inc. OptiPlex 7090 (SN: 1-2/3)');
});

test('credential lines and URLs for protected entries', async () => {
  const { credentialLines, clearCredentialLines, urlWithCredentials } =
    await import('../../../services/ipxe/credentials.js');
  const { httpAuthRuleSchema } = await import('../../../services/http/config.js');
  assert.deepEqual(credentialLines({ username: 'tech', password: 's3cret!' }), [
    'set username tech',
    'set password s3cret!',
  ]);
  assert.deepEqual(credentialLines('prompt'), ['login || goto bootlab_menu']);
  assert.deepEqual(clearCredentialLines(), ['clear username', 'clear password']);
  assert.equal(
    urlWithCredentials('http://10.0.0.1:8080/private/a.wim'),
    'http://${username:uristring}:${password:uristring}@10.0.0.1:8080/private/a.wim',
  );
  assert.equal(
    httpAuthRuleSchema.safeParse({ pathPrefix: '/p/', username: 'a', password: 'x y' }).success,
    false,
  );
  assert.equal(
    httpAuthRuleSchema.safeParse({ pathPrefix: '/p/', username: 'a', password: '${x}' }).success,
    false,
  );
  assert.equal(
    httpAuthRuleSchema.safeParse({ pathPrefix: '/p/', username: 'a', password: 'Pa55-w.rd!' }).success,
    true,
  );
});
