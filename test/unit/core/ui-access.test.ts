import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateToken, rotateToken, tokenPath } from '../../../services/core/ui-access.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'bootlab-ui-access-'));

test('the UI token is made once, kept owner-only, and the same at the next launch', () => {
  const d = dir();
  try {
    const first = loadOrCreateToken(d);
    assert.equal(first.created, true);
    assert.match(first.token, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(statSync(tokenPath(d)).mode & 0o777, 0o600);
    const again = loadOrCreateToken(d);
    assert.deepEqual(again, { token: first.token, created: false });
    // Written atomically: no temp file is left beside it.
    assert.deepEqual(readdirSync(d), ['ui-token']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('a malformed token file, or one others can read, is replaced; rotation makes a new one', () => {
  const d = dir();
  try {
    writeFileSync(tokenPath(d), 'short\n', { mode: 0o600 });
    const fresh = loadOrCreateToken(d);
    assert.equal(fresh.created, true);
    assert.notEqual(fresh.token, 'short');
    chmodSync(tokenPath(d), 0o644);
    const replaced = loadOrCreateToken(d);
    assert.equal(replaced.created, true, 'a token readable by others may have leaked');
    assert.notEqual(replaced.token, fresh.token);
    assert.equal(statSync(tokenPath(d)).mode & 0o777, 0o600);
    const rotated = rotateToken(d);
    assert.notEqual(rotated, replaced.token);
    assert.equal(readFileSync(tokenPath(d), 'utf8').trim(), rotated);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
