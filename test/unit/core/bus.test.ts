import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../services/core/bus.js';

test('bus delivers typed events to type and any subscribers', () => {
  const bus = new EventBus();
  const seen: string[] = [];
  bus.on('syslog.line', (p) => seen.push(`line:${p.text}`));
  bus.onAny((e) => seen.push(`any:${e.type}`));
  bus.emit('syslog.line', { from: '10.0.0.2', facility: 0, severity: 6, text: 'hello' });
  assert.deepEqual(seen, ['line:hello', 'any:syslog.line']);
});

test('a throwing handler never breaks the emitter or other handlers', () => {
  const errors: unknown[] = [];
  const bus = new EventBus((e) => errors.push(e));
  let reached = false;
  bus.on('log', () => {
    throw new Error('bad listener');
  });
  bus.on('log', () => {
    reached = true;
  });
  bus.emit('log', { time: '', level: 'info', source: 't', message: 'm' });
  assert.equal(reached, true);
  assert.equal(errors.length, 1);
});

test('unsubscribe stops delivery', () => {
  const bus = new EventBus();
  let n = 0;
  const off = bus.on('log', () => n++);
  bus.emit('log', { time: '', level: 'info', source: 't', message: 'm' });
  off();
  bus.emit('log', { time: '', level: 'info', source: 't', message: 'm' });
  assert.equal(n, 1);
});
