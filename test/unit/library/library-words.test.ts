import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bytesText,
  downloadLine,
  etaText,
  percent,
} from '../../../renderer/src/features/library/library-words.js';
import type { DownloadView } from '../../../services/library/views.js';

const base: DownloadView = {
  id: 'x',
  name: 'X',
  fileName: 'x.iso',
  state: 'downloading',
  bytes: 512 * 1024 * 1024,
  total: 1024 * 1024 * 1024,
  bytesPerSecond: 10 * 1024 * 1024,
  etaSeconds: 51,
  url: 'https://example.invalid/x.iso',
};

test('download lines say bytes, total, rate and time left in words', () => {
  assert.equal(downloadLine(base), '512 MiB of 1.0 GiB · 10 MiB/s · 51 s left');
  assert.equal(percent(base), 50);
  assert.equal(downloadLine({ ...base, state: 'paused' }), 'Paused at 512 MiB of 1.0 GiB');
  assert.equal(downloadLine({ ...base, state: 'queued', bytes: 0 }), 'Waiting in the queue');
  assert.equal(
    downloadLine({ ...base, state: 'failed', error: 'The downloaded file is damaged.' }),
    'The downloaded file is damaged.',
  );
  assert.match(
    downloadLine({ ...base, state: 'done', verification: 'SHA-256 matches' }),
    /^Verified: SHA-256 matches/,
  );
  assert.equal(percent({ ...base, total: null }), 0);
});

test('sizes and times', () => {
  assert.equal(bytesText(500), '500 B');
  assert.equal(bytesText(1536), '1.5 KiB');
  assert.equal(bytesText(null), '?');
  assert.equal(etaText(null), '');
  assert.equal(etaText(125), '2 min left');
  assert.equal(etaText(7200), '2.0 h left');
});
