import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPool } from '../../../services/dhcp/allocator.js';
import { defaultPoolFor, isIpv4, onSubnet } from '../../../renderer/src/features/settings/dhcp-defaults.js';

test('the Settings placeholder pool is the one the DHCP server takes when the pool is left empty', () => {
  for (const [address, netmask] of [
    ['10.78.0.1', '255.255.255.0'],
    ['192.168.5.20', '255.255.0.0'],
    ['10.0.0.1', '255.255.255.192'],
    ['172.16.9.1', '255.255.255.252'],
  ] as const) {
    assert.deepEqual(
      defaultPoolFor(address, netmask),
      defaultPool(address, netmask),
      `${address}/${netmask}`,
    );
  }
  assert.deepEqual(defaultPoolFor('10.78.0.1', '255.255.255.0'), {
    start: '10.78.0.100',
    end: '10.78.0.199',
  });
});

test('IPv4 and subnet checks', () => {
  assert.equal(isIpv4('10.9.9.9'), true);
  assert.equal(isIpv4('10.9.9'), false);
  assert.equal(isIpv4('10.9.9.256'), false);
  assert.equal(onSubnet('10.78.0.7', '10.78.0.1', '255.255.255.0'), true);
  assert.equal(onSubnet('10.79.0.7', '10.78.0.1', '255.255.255.0'), false);
});
