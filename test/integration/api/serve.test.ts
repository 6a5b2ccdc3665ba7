import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';
import {
  loopbackServeArgs,
  startBootlab,
  runBootlab,
  eventProtocols,
  eventsUrl,
  type RunningBootlab,
} from '../../helpers/bootlab-process.js';

let app: RunningBootlab;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-api-'));
  app = await startBootlab(
    await loopbackServeArgs(dataDir, { freePorts: ['http', 'tftp', 'syslog'], extra: ['--no-start'] }),
  );
});

after(async () => {
  await app?.stop();
});

/** A raw request, so tests control Host and Origin exactly. */
function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; json: any }> {
  const url = new URL(path, app.base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? safeJson(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
const safeJson = (t: string): unknown => {
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
};
const auth = (): Record<string, string> => ({ 'x-bootlab-token': app.token });

test("status lists this machine's interfaces, with the token", async () => {
  const r = await call('/api/status', { headers: auth() });
  assert.equal(r.status, 200);
  assert.ok(r.json.interfaces.some((i: { name: string }) => i.name === 'lo'));
  assert.deepEqual(
    r.json.services.map((s: { service: string }) => s.service),
    ['dhcp', 'tftp', 'http', 'syslog'],
  );
});

test('every /api path answers 401 without the token, whatever the path', async () => {
  for (const path of [
    '/api/status',
    '/api/config',
    '/api/does/not/exist',
    '/api',
    '/api/services/syslog/start',
  ]) {
    const r = await call(path, { method: path.endsWith('start') ? 'POST' : 'GET' });
    assert.equal(r.status, 401, path);
    assert.match(r.json.error.message, /token/);
  }
  const wrong = await call('/api/status', { headers: { 'x-bootlab-token': 'x'.repeat(app.token.length) } });
  assert.equal(wrong.status, 401);
});

test('a foreign Host (DNS rebinding) or a foreign Origin is refused even with the token', async () => {
  const host = await call('/api/status', {
    headers: { ...auth(), host: `evil.example:${new URL(app.base).port}` },
  });
  assert.equal(host.status, 403);
  const origin = await call('/api/status', { headers: { ...auth(), origin: 'http://evil.example' } });
  assert.equal(origin.status, 403);
  const page = await call('/', { headers: { host: 'evil.example' } });
  assert.equal(page.status, 403);
  const same = await call('/api/status', { headers: { ...auth(), origin: app.base } });
  assert.equal(same.status, 200);
});

test('bodies are validated and config saves to the data dir', async () => {
  const bad = await call('/api/config', {
    method: 'PUT',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ dhcp: { mode: 'sometimes' } }),
  });
  assert.equal(bad.status, 400);
  // In words for the person; the path for the UI in fields.
  assert.match(bad.json.error.message, /DHCP mode: choose one of: auto, off, proxy, full\./);
  assert.deepEqual(
    (bad.json.error.fields as { field: string }[]).map((f) => f.field),
    ['dhcp.mode'],
  );
  const notJson = await call('/api/config', {
    method: 'PUT',
    headers: { ...auth(), 'content-type': 'text/plain' },
    body: 'x',
  });
  assert.equal(notJson.status, 400);
  const good = await call('/api/config', {
    method: 'PUT',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ dhcp: { leaseSeconds: 7200 } }),
  });
  assert.equal(good.status, 200);
  const onDisk = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'));
  assert.equal(onDisk.profiles.default.dhcp.leaseSeconds, 7200);
  assert.equal(onDisk.profiles.default.interface, 'lo');
});

test('starting a service over the API shows its state change live on the WebSocket', async () => {
  const ws = new WebSocket(eventsUrl(app), eventProtocols(app.token));
  const states: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data) => {
    for (const e of JSON.parse(String(data)).events)
      if (e.type === 'service.state' && e.payload.service === 'syslog') states.push(e.payload.state);
  });
  const started = await call('/api/services/syslog/start', { method: 'POST', headers: auth() });
  assert.equal(started.status, 200);
  assert.equal(started.json.state.state, 'running');
  const deadline = Date.now() + 5000;
  while (!states.includes('running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(states.includes('running'), `saw ${states.join(',')}`);
  const stopped = await call('/api/services/syslog/stop', { method: 'POST', headers: auth() });
  assert.equal(stopped.json.state.state, 'stopped');
  ws.close();
});

test('the event WebSocket refuses a missing token and a foreign origin', async () => {
  const attempt = (protocols: string[], headers: Record<string, string> = {}): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(eventsUrl(app), protocols, { headers });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('error', () => resolve('refused'));
      ws.once('unexpected-response', () => resolve('refused'));
    });
  assert.equal(await attempt([]), 'refused');
  assert.equal(await attempt(eventProtocols(app.token), { origin: 'http://evil.example' }), 'refused');
  assert.equal(await attempt(eventProtocols(app.token)), 'open');
});

test('unknown service and action get clear errors', async () => {
  const r = await call('/api/services/ftp/start', { method: 'POST', headers: auth() });
  assert.equal(r.status, 404);
  assert.match(r.json.error.hint, /dhcp, tftp, http, syslog/);
});

test('--help lists every flag; a bad flag says what is wrong', async () => {
  const help = await runBootlab(['--help']);
  assert.equal(help.code, 0);
  for (const flag of [
    '--config',
    '--data-dir',
    '--interface',
    '--dhcp',
    '--pool',
    '--boot-root',
    '--ui-port',
    '--http-port',
  ]) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  const bad = await runBootlab(['serve', '--pool', '10.0.0.9-10.0.0.1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--pool starts after it ends/);
  const noKernel = await runBootlab(['boot', '--kernel', '/nonexistent/vmlinuz']);
  assert.equal(noKernel.code, 2);
  assert.match(noKernel.stderr, /kernel file .* does not exist/);
});

const asNobody =
  spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0 && process.getuid?.() === 0;

test(
  'binding a privileged port as an unprivileged user says how to grant the right',
  { skip: asNobody ? undefined : 'needs root and runuser to act as nobody' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-nobody-'));
    chmodSync(dir, 0o777);
    const run = await startBootlab(
      [
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
        '514',
        '--ui-port',
        '0',
      ],
      {
        wrap: ['runuser', '-u', 'nobody', '--'],
        spawn: { env: { ...process.env, HOME: dir, TSX_TSCONFIG_PATH: undefined } },
      },
    );
    try {
      const status = await fetch(`${run.base}/api/status`, {
        headers: { 'x-bootlab-token': run.token },
      }).then((r) => r.json() as Promise<any>);
      const syslog = status.services.find((s: { service: string }) => s.service === 'syslog');
      assert.equal(syslog.state, 'failed');
      assert.equal(syslog.error.code, 'PORT_NEEDS_PRIVILEGE');
      assert.match(syslog.error.message, /port 514/);
      assert.match(syslog.error.hint, /setcap cap_net_bind_service\+ep/);
      assert.match(run.stderr(), /needs? administrator rights/);
    } finally {
      await run.stop();
    }
  },
);
