import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockSizeForMtu, negotiate, type NegotiationLimits } from '../../../services/tftp/negotiate.js';

const limits: NegotiationLimits = {
  maxBlockSize: 8192,
  mtuBlockSize: 1468,
  maxWindowSize: 32,
  maxBytesInFlight: 65536,
  defaultTimeoutMs: 1000,
};
const opts = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));

test('no options: plain RFC 1350 (512, lock-step, no OACK)', () => {
  const n = negotiate(new Map(), limits, 100);
  assert.deepEqual([n.blksize, n.windowsize, n.oack.size], [512, 1, 0]);
});

test('blksize is capped by the MTU unless the client asks for less', () => {
  assert.equal(negotiate(opts({ blksize: '8192' }), limits, 1).blksize, 1468);
  assert.equal(negotiate(opts({ blksize: '1432' }), limits, 1).blksize, 1432);
  assert.equal(negotiate(opts({ blksize: '8192' }), { ...limits, mtuBlockSize: 65464 }, 1).blksize, 8192);
  assert.equal(blockSizeForMtu(1500), 1468);
  assert.equal(blockSizeForMtu(65536), 65464);
});

test('bad blksize values are left out of the OACK', () => {
  assert.equal(negotiate(opts({ blksize: '4' }), limits, 1).oack.has('blksize'), false);
  assert.equal(negotiate(opts({ blksize: 'big' }), limits, 1).oack.has('blksize'), false);
});

test('windowsize × blksize never exceeds the in-flight cap', () => {
  const a = negotiate(opts({ blksize: '8192', windowsize: '32' }), { ...limits, mtuBlockSize: 65464 }, 1);
  assert.deepEqual([a.blksize, a.windowsize, a.oack.get('windowsize')], [8192, 8, '8']);
  const b = negotiate(opts({ blksize: '512', windowsize: '64' }), limits, 1);
  assert.equal(b.windowsize, 32); // config cap
  const c = negotiate(
    opts({ blksize: '65464', windowsize: '4' }),
    { ...limits, maxBlockSize: 65464, mtuBlockSize: 65464 },
    1,
  );
  assert.equal(c.windowsize, 1);
});

test('OVMF size probe: tsize=0 blksize=1468 windowsize=4 gets all three', () => {
  const n = negotiate(opts({ tsize: '0', blksize: '1468', windowsize: '4' }), limits, 1_048_576);
  assert.deepEqual(
    [...n.oack.entries()],
    [
      ['tsize', '1048576'],
      ['blksize', '1468'],
      ['windowsize', '4'],
    ],
  );
  assert.equal(n.askedTsize, true);
});

test('tsize is omitted when the size is unknown (netascii)', () => {
  assert.equal(negotiate(opts({ tsize: '0' }), limits, undefined).oack.has('tsize'), false);
});

test('timeout is echoed, but retransmission never waits longer than our own timeout', () => {
  const n = negotiate(opts({ timeout: '6' }), limits, 1);
  assert.equal(n.oack.get('timeout'), '6');
  assert.equal(n.timeoutMs, 1000);
  assert.equal(negotiate(opts({ timeout: '0' }), limits, 1).oack.has('timeout'), false);
  assert.equal(negotiate(opts({ timeout: '256' }), limits, 1).oack.has('timeout'), false);
});
