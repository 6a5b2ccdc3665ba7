import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entityContentType, entityEtag, parseRanges } from '../../../services/http/serve-entity.js';

test('parseRanges: none, single, suffix, several (combined), unsatisfiable, malformed', () => {
  assert.equal(parseRanges(undefined, 100), undefined);
  assert.deepEqual(parseRanges('bytes=0-9', 100), [{ start: 0, end: 9 }]);
  assert.deepEqual(parseRanges('bytes=-10', 100), [{ start: 90, end: 99 }]);
  assert.deepEqual(parseRanges('bytes=95-200', 100), [{ start: 95, end: 99 }]);
  assert.deepEqual(parseRanges('bytes=0-1,10-11', 100), [
    { start: 0, end: 1 },
    { start: 10, end: 11 },
  ]);
  assert.deepEqual(parseRanges('bytes=0-10,5-20', 100), [{ start: 0, end: 20 }]);
  assert.equal(parseRanges('bytes=100-', 100), -1);
  assert.equal(parseRanges('bytes=abc', 100), undefined);
  assert.equal(parseRanges('items=0-1', 100), undefined);
  // Over 4 GiB: plain JS numbers stay exact (2^53).
  const big = 5 * 2 ** 30 + 3;
  assert.deepEqual(parseRanges('bytes=-3', big), [{ start: big - 3, end: big - 1 }]);
});

test('ETag has the same shape send gives disk files; content types come from the extension', () => {
  assert.equal(entityEtag(16, new Date(0x1234000)), 'W/"10-1234000"');
  assert.equal(entityContentType('menus/boot.iso'), 'application/x-iso9660-image');
  assert.equal(entityContentType('vmlinuz'), 'application/octet-stream');
  assert.match(entityContentType('a/b.txt'), /^text\/plain/);
});
