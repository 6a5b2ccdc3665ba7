import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClientQuery } from '../../../services/http/client-query.js';
import { normalizeMac } from '../../../services/shared/address.js';

test('normalizeMac accepts iPXE hexhyp, colons and bare hex; refuses the rest', () => {
  assert.equal(normalizeMac('52-54-00-12-34-56'), '52:54:00:12:34:56');
  assert.equal(normalizeMac('52:54:00:AB:CD:EF'), '52:54:00:ab:cd:ef');
  assert.equal(normalizeMac('525400abcdef'), '52:54:00:ab:cd:ef');
  for (const bad of [
    '',
    'zz-zz',
    '52-54-00-12-34',
    '00:00:00:00:00:00',
    'ff:ff:ff:ff:ff:ff',
    '${net0/mac:hexhyp}',
  ]) {
    assert.equal(normalizeMac(bad), undefined, bad);
  }
});

test('a full iPXE query becomes a BootClientInfo', () => {
  const q =
    'mac=52-54-00-12-34-56&ip=10.77.0.101&platform=efi&buildarch=x86_64&manufacturer=Dell%20Inc.&product=OptiPlex%207090' +
    '&serial=ABC1234&uuid=4C4C4544-0042-3510-8052-B4C04F4E3233&asset=Lab%2012&hostname=pc01.lab';
  assert.deepEqual(parseClientQuery(q, '10.77.0.101'), {
    ip: '10.77.0.101',
    mac: '52:54:00:12:34:56',
    platform: 'efi',
    buildarch: 'x86_64',
    manufacturer: 'Dell Inc.',
    product: 'OptiPlex 7090',
    serial: 'ABC1234',
    uuid: '4c4c4544-0042-3510-8052-b4c04f4e3233',
    asset: 'Lab 12',
    hostname: 'pc01.lab',
  });
});

test('unset settings (empty), junk and unknown keys are dropped; the MAC falls back to the lease', () => {
  const leases = new Map([['10.77.0.5', '52:54:00:00:00:05']]);
  const info = parseClientQuery(
    'mac=&ip=&platform=&manufacturer=%20%20&product=%E0%A4%A&uuid=00000000-0000-0000-0000-000000000000&hostname=-bad-&extra=1&serial=a%00b',
    '10.77.0.5',
    (ip) => leases.get(ip),
  );
  assert.equal(info.ip, '10.77.0.5');
  assert.equal(info.mac, '52:54:00:00:00:05');
  assert.equal(info.platform, undefined);
  assert.equal(info.manufacturer, undefined);
  assert.equal(info.uuid, undefined);
  assert.equal(info.hostname, undefined);
  assert.equal(info.serial, 'ab'); // control characters removed
  assert.equal(typeof info.product, 'string'); // broken escapes kept literally, never a throw
  assert.equal(Object.hasOwn(info, 'extra'), false);
});

test('an absurdly long value is cut, and a query that is not a query still parses', () => {
  const info = parseClientQuery(`product=${'x'.repeat(10_000)}`, '1.2.3.4');
  assert.equal(info.product!.length, 128);
  assert.deepEqual(parseClientQuery('%%%&&&===', '1.2.3.4'), { ip: '1.2.3.4' });
});
