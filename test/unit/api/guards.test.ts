import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import {
  allowedHost,
  allowedOrigin,
  tokenFromRequest,
  tokenFromWebSocket,
  tokenMatches,
} from '../../../services/api/guards.js';

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

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

test('HTTP routes read the token from the x-bootlab-token header only', () => {
  assert.equal(tokenFromRequest(req({ 'x-bootlab-token': 'abc' })), 'abc');
  assert.equal(tokenFromRequest(req({ authorization: 'Bearer abc' })), undefined);
  assert.equal(tokenFromRequest(req({ cookie: 'token=abc' })), undefined);
  assert.equal(tokenFromRequest(req({})), undefined);
});

test('the WebSocket reads the token from its subprotocol offer, beside the events protocol', () => {
  const h = (v: string) => req({ 'sec-websocket-protocol': v });
  assert.equal(tokenFromWebSocket(h('bootlab.events.v1, bootlab.token.abc')), 'abc');
  assert.equal(tokenFromWebSocket(h('bootlab.token.abc')), undefined);
  assert.equal(tokenFromWebSocket(h('bootlab.events.v1')), undefined);
  assert.equal(tokenFromWebSocket(h('bootlab.events.v1, bootlab.token.a, bootlab.token.b')), undefined);
  assert.equal(tokenFromWebSocket(req({ 'x-bootlab-token': 'abc' })), undefined);
});
