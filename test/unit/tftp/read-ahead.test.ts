import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READ_AHEAD, readAheadFor } from '../../../services/tftp/open-file.js';

test('file reads hold 32 blocks of the asked blksize, between 64 and 256 KiB', () => {
  assert.equal(readAheadFor(undefined), READ_AHEAD); // RFC 1350's 512-byte blocks
  assert.equal(readAheadFor('1468'), READ_AHEAD); // PXE ROMs: memory per client unchanged
  assert.equal(readAheadFor('4096'), 128 * 1024);
  assert.equal(readAheadFor('8192'), 256 * 1024);
  assert.equal(readAheadFor('65464'), 256 * 1024);
  assert.equal(readAheadFor('banana'), READ_AHEAD);
  assert.equal(readAheadFor('99999999'), 256 * 1024);
});
