import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedHost, allowedOrigin, tokenMatches } from '../../../services/api/guards.js';

const opts = { token: 't', port: 7000 };

test('only loopback host names with our port pass the Host check', () => {
  assert.ok(allowedHost('127.0.0.1:7000', opts));
  assert.ok(allowedHost('localhost:7000', opts));
  assert.ok(allowedHost('[::1]:7000', opts));
  assert.ok(!allowedHost('127.0.0.1:7001', opts));
  assert.ok(!allowedHost('attacker.example:7000', opts));
  assert.ok(!allowedHost(undefined, opts));
  assert.ok(allowedHost('bench.lan:7000', { ...opts, extraHosts: ['bench.lan'] }));
});

test('a missing Origin passes, a foreign one does not', () => {
  assert.ok(allowedOrigin(undefined, opts));
  assert.ok(allowedOrigin('http://127.0.0.1:7000', opts));
  assert.ok(!allowedOrigin('http://127.0.0.1:7001', opts));
  assert.ok(!allowedOrigin('null', opts));
  assert.ok(!allowedOrigin('https://evil.example', opts));
});

test('token comparison', () => {
  assert.ok(tokenMatches('abc', 'abc'));
  assert.ok(!tokenMatches('abd', 'abc'));
  assert.ok(!tokenMatches('ab', 'abc'));
  assert.ok(!tokenMatches(undefined, 'abc'));
});
