import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dhcpConfigSchema } from '../../../services/dhcp/config.js';
import { dhcpSettingProblems } from '../../../services/dhcp/config-check.js';

const eth0 = { name: 'eth0', ipv4: [{ address: '192.168.5.150', netmask: '255.255.255.0' }] };
const dhcp = (over: Record<string, unknown>) => dhcpConfigSchema.parse({ mode: 'full', ...over });

test('a good pool and reservations pass', () => {
  const cfg = dhcp({
    pool: { start: '192.168.5.10', end: '192.168.5.99' },
    reservations: [{ mac: '52:54:00:00:00:01', ip: '192.168.5.200' }],
  });
  assert.deepEqual(dhcpSettingProblems(cfg, eth0), []);
});

test('a pool over our own address suggests one that avoids it', () => {
  const p = dhcpSettingProblems(dhcp({ pool: { start: '192.168.5.100', end: '192.168.5.199' } }), eth0);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.field, 'dhcp.pool');
  assert.match(p[0]!.hint!, /192\.168\.5\.151–/);
});

test('network and broadcast addresses are refused for the pool', () => {
  const p = dhcpSettingProblems(dhcp({ pool: { start: '192.168.5.0', end: '192.168.5.255' } }), eth0);
  assert.deepEqual(
    p.map((x) => x.field),
    ['dhcp.pool.start', 'dhcp.pool.end', 'dhcp.pool'],
  );
  assert.match(p[0]!.message, /network address/);
  assert.match(p[1]!.message, /broadcast address/);
});

test('without the interface (unplugged) only order and duplicates are checked', () => {
  const cfg = dhcp({
    pool: { start: '10.0.0.9', end: '10.0.0.1' },
    reservations: [
      { mac: '52:54:00:00:00:01', ip: '10.9.9.9' },
      { mac: '52:54:00:00:00:02', ip: '10.9.9.9' },
    ],
  });
  assert.deepEqual(
    dhcpSettingProblems(cfg, undefined).map((x) => x.field),
    ['dhcp.pool.end', 'dhcp.reservations.1.ip'],
  );
});
