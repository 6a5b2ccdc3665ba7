import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, Netns, netnsUnavailableReason } from '../../helpers/netns.js';

test('two test namespaces joined by veth can ping each other', { skip: netnsUnavailableReason() }, () => {
  const a = Netns.create('blta');
  const b = Netns.create('bltb');
  try {
    connect(a, '10.199.0.1/24', b, '10.199.0.2/24');
    const out = a.run('ping', ['-c', '1', '-W', '2', '10.199.0.2']);
    assert.match(out, /1 received/);
  } finally {
    a.destroy();
    b.destroy();
  }
});
