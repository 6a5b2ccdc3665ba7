import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { EventBus } from '../../../services/core/bus.js';
import { ApiServer } from '../../../services/api/server.js';
import { createApiRouter } from '../../../services/api/router.js';
import { eventProtocols } from '../../helpers/bootlab-process.js';

test('the event feed forwards what the UI subscribes to, not raw wire events', async (t) => {
  const uiDir = mkdtempSync(join(tmpdir(), 'bootlab-events-'));
  const bus = new EventBus();
  const server = new ApiServer({ router: createApiRouter(), bus, token: 'tok', uiDir, port: 0 });
  const port = await server.start();
  t.after(async () => {
    await server.stop();
    rmSync(uiDir, { recursive: true, force: true });
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, eventProtocols('tok'), {
    headers: { origin: `http://127.0.0.1:${port}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const received: string[] = [];
  ws.on('message', (data) => {
    for (const e of (JSON.parse(String(data)) as { events: { type: string }[] }).events)
      received.push(e.type);
  });
  bus.emit('dhcp.drop', { from: '10.0.0.9', reason: 'malformed' });
  bus.emit('service.state', { service: 'tftp', state: 'running', since: new Date().toISOString() });
  for (let i = 0; i < 100 && !received.includes('service.state'); i++)
    await new Promise((r) => setTimeout(r, 20));
  ws.close();
  assert.deepEqual(received, ['service.state']);
});
