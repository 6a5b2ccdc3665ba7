import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

test('POST /api/shutdown stops the services and ends the host with exit code 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-shutdown-'));
  const syslogPort = await freePort('udp');
  const app = await startBootlab([
    'serve',
    '--data-dir',
    dir,
    '--interface',
    'lo',
    '--dhcp',
    'off',
    '--services',
    'syslog',
    '--syslog-port',
    String(syslogPort),
    '--ui-port',
    '0',
    '--quiet',
  ]);
  const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
  const unauth = await fetch(`${app.base}/api/shutdown`, { method: 'POST' });
  assert.equal(unauth.status, 401, 'no token, no shutdown');
  const res = await fetch(`${app.base}/api/shutdown`, {
    method: 'POST',
    headers: { 'x-bootlab-token': app.token },
  });
  assert.deepEqual(await res.json(), { stopping: true });
  assert.equal(await exited, 0);
});
