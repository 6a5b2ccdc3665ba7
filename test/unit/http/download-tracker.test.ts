import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpDownloadEvent } from '../../../services/shared/events.js';
import { trackDownload } from '../../../services/http/download-tracker.js';

/** A stand-in response (unit test): write/end/getHeader and the finish/close events. */
function fakeResponse(): ServerResponse & EventEmitter {
  const res = new EventEmitter() as unknown as ServerResponse &
    EventEmitter & { headers: Record<string, unknown> };
  Object.assign(res, {
    statusCode: 200,
    writableFinished: false,
    headers: { 'content-length': '1000' },
    getHeader: (k: string) => res.headers[k],
    write: () => true,
    end: () => res,
  });
  return res;
}

const fakeRequest = {
  method: 'GET',
  headers: { 'user-agent': 'iPXE/1.21.1' },
  socket: { remoteAddress: '::ffff:10.0.0.7' },
} as unknown as IncomingMessage;

test('start, throttled progress (at most N a second) and a completed end with rate', () => {
  let now = 0;
  const events: HttpDownloadEvent[] = [];
  const res = fakeResponse();
  trackDownload(fakeRequest, res, '/vmlinuz', {
    emit: (e) => events.push(e),
    macFor: () => '52:54:00:00:00:07',
    progressPerSecond: 4,
    now: () => now,
  });
  for (let i = 0; i < 100; i++) {
    now += 10; // 100 writes over one second
    res.write(Buffer.alloc(10));
  }
  res.emit('finish');
  res.emit('close');
  const phases = events.map((e) => e.phase);
  assert.equal(phases[0], 'start');
  assert.equal(phases.at(-1), 'end');
  const progress = events.filter((e) => e.phase === 'progress');
  assert.ok(progress.length <= 4, `${progress.length} progress events in one second`);
  assert.ok(progress.length >= 3);
  const end = events.at(-1)!;
  assert.equal(end.result, 'completed');
  assert.equal(end.bytesSent, 1000);
  assert.equal(end.total, 1000);
  assert.equal(end.client, '10.0.0.7');
  assert.equal(end.mac, '52:54:00:00:00:07');
  assert.equal(end.durationMs, 1000);
  assert.equal(end.bytesPerSecond, 1000);
  assert.equal(end.userAgent, 'iPXE/1.21.1');
});

test('a response closed before finishing is aborted', () => {
  const events: HttpDownloadEvent[] = [];
  const res = fakeResponse();
  trackDownload(fakeRequest, res, '/big.iso', {
    emit: (e) => events.push(e),
    macFor: () => undefined,
    progressPerSecond: 4,
  });
  res.write('abc');
  res.emit('close');
  const end = events.at(-1)!;
  assert.equal(end.result, 'aborted');
  assert.equal(end.bytesSent, 3);
  assert.equal(end.mac, undefined);
});
