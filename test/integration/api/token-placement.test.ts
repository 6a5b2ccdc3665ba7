import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import type { RouteKey } from '../../../services/api/contract.js';
import {
  startBootlab,
  eventProtocols,
  eventsUrl,
  type RunningBootlab,
} from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

// The token is accepted in exactly one place per channel: the X-Bootlab-Token header on HTTP routes, and the
// Sec-WebSocket-Protocol offer on the event WebSocket. Everything else (query, cookie, Authorization, other
// headers) is refused, on every route. The table is typed by the contract, so a new route that is not listed
// here is a compile error.
const ROUTES = {
  'GET /api/status': '/api/status',
  'GET /api/interfaces': '/api/interfaces',
  'GET /api/config': '/api/config',
  'PUT /api/config': '/api/config',
  'GET /api/services': '/api/services',
  'POST /api/services/:name/:action': '/api/services/syslog/start',
  'POST /api/services/start-all': '/api/services/start-all',
  'POST /api/services/stop-all': '/api/services/stop-all',
  'GET /api/logs': '/api/logs',
  'GET /api/clients': '/api/clients',
  'POST /api/shutdown': '/api/shutdown',
  'GET /api/dhcp': '/api/dhcp',
  'GET /api/menu': '/api/menu',
  'PUT /api/menu': '/api/menu',
  'GET /api/menu/preview': '/api/menu/preview',
  'POST /api/menu/preview': '/api/menu/preview',
  'GET /api/menu/validation': '/api/menu/validation',
  'POST /api/menu/validate': '/api/menu/validate',
  'GET /api/boot-root/files': '/api/boot-root/files',
  'POST /api/menu/import': '/api/menu/import',
  'GET /api/menu/export': '/api/menu/export',
  'GET /api/lab': '/api/lab',
  'POST /api/lab/vms': '/api/lab/vms',
  'GET /api/lab/vms/:id/console': '/api/lab/vms/x/console',
  'POST /api/lab/vms/:id/input': '/api/lab/vms/x/input',
  'POST /api/lab/vms/:id/reset': '/api/lab/vms/x/reset',
  'POST /api/lab/vms/:id/stop': '/api/lab/vms/x/stop',
  'GET /api/clients/page': '/api/clients/page',
  'GET /api/clients/:key': '/api/clients/x',
  'GET /api/stats/summary': '/api/stats/summary',
  'GET /api/stats/throughput': '/api/stats/throughput',
  'GET /api/stats/machine-log': '/api/stats/machine-log',
  'GET /api/stats/export': '/api/stats/export',
  'GET /api/library': '/api/library',
  'POST /api/library/rescan': '/api/library/rescan',
  'PUT /api/library/method': '/api/library/method',
  'POST /api/library/catalog/update': '/api/library/catalog/update',
  'POST /api/library/downloads': '/api/library/downloads',
  'POST /api/library/downloads/:id/pause': '/api/library/downloads/x/pause',
  'POST /api/library/downloads/:id/resume': '/api/library/downloads/x/resume',
  'DELETE /api/library/downloads/:id': '/api/library/downloads/x',
  'POST /api/library/import': '/api/library/import',
  'POST /api/library/add-to-menu': '/api/library/add-to-menu',
  'POST /api/library/rescue': '/api/library/rescue',
  'GET /api/access': '/api/access',
  'POST /api/access/rotate-token': '/api/access/rotate-token',
  'GET /api/builder': '/api/builder',
  'POST /api/builder/sources': '/api/builder/sources',
  'DELETE /api/builder/sources/:id': '/api/builder/sources/x',
  'POST /api/builder/sources/:id/cancel': '/api/builder/sources/x/cancel',
  'POST /api/builder/builds': '/api/builder/builds',
  'POST /api/builder/recommended': '/api/builder/recommended',
  'GET /api/builder/builds/:id/log': '/api/builder/builds/x/log',
  'POST /api/builder/builds/:id/cancel': '/api/builder/builds/x/cancel',
  'POST /api/builder/script-check': '/api/builder/script-check',
  'POST /api/builder/artifacts/:id/serve': '/api/builder/artifacts/x/serve',
  'GET /api/builder/artifacts/:id/download': '/api/builder/artifacts/x/download',
  'DELETE /api/builder/artifacts/:id': '/api/builder/artifacts/x',
  'POST /api/builder/work-trees/delete': '/api/builder/work-trees/delete',
} satisfies Record<RouteKey, string>;

let app: RunningBootlab;

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-token-'));
  const [http, tftp, syslog] = [await freePort('tcp'), await freePort('udp'), await freePort('udp')];
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--no-start', '--quiet'],
    ...['--http-port', String(http), '--tftp-port', String(tftp), '--syslog-port', String(syslog)],
    ...['--ui-port', '0'],
  ]);
});

after(async () => {
  await app?.stop();
});

function call(method: string, path: string, headers: Record<string, string>): Promise<number | string> {
  const url = new URL(path, app.base);
  return new Promise((resolve) => {
    // A JSON body only where routes take one (Node sends a DELETE body with no length, which is no request).
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // A dropped connection counts as a failure of the route, reported with the others.
    req.on('error', (err) => resolve(`error ${err.message}`));
    req.end(body);
  });
}

test('every API route refuses a missing, wrong or misplaced token', async () => {
  const t = app.token;
  const wrongPlaces: Array<{ name: string; query?: string; headers: Record<string, string> }> = [
    { name: 'no token', headers: {} },
    { name: 'wrong token in the header', headers: { 'x-bootlab-token': t.slice(1) + 'x' } },
    { name: 'empty header', headers: { 'x-bootlab-token': '' } },
    { name: 'query ?token=', query: `token=${t}`, headers: {} },
    { name: 'query ?x-bootlab-token=', query: `x-bootlab-token=${t}`, headers: {} },
    { name: 'cookie', headers: { cookie: `token=${t}; x-bootlab-token=${t}; bootlab.token=${t}` } },
    { name: 'Authorization: Bearer', headers: { authorization: `Bearer ${t}` } },
    {
      name: 'Authorization: Basic',
      headers: { authorization: `Basic ${Buffer.from(':' + t).toString('base64')}` },
    },
    { name: 'X-Token header', headers: { 'x-token': t } },
    {
      name: 'Sec-WebSocket-Protocol on HTTP',
      headers: { 'sec-websocket-protocol': eventProtocols(t).join(', ') },
    },
  ];
  const accepted: string[] = [];
  for (const [key, path] of Object.entries(ROUTES)) {
    const method = key.split(' ')[0]!;
    for (const place of wrongPlaces) {
      const status = await call(method, place.query ? `${path}?${place.query}` : path, place.headers);
      if (status !== 401) accepted.push(`${key} with ${place.name}: ${status}`);
    }
  }
  assert.deepEqual(accepted, []);
  // The one right place works.
  assert.equal(await call('GET', '/api/status', { 'x-bootlab-token': t }), 200);
  assert.equal(await call('GET', '/api/clients', { 'x-bootlab-token': t }), 200);
});

function openSocket(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => {
      const chosen = ws.protocol;
      ws.close();
      resolve(`open ${chosen}`);
    });
    ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.once('error', () => resolve('refused'));
  });
}

test('the event WebSocket takes the token only as a subprotocol offer and never echoes it', async () => {
  const t = app.token;
  const url = eventsUrl(app);
  const wrong: Array<[string, Promise<string>]> = [
    ['no token', openSocket(url, [])],
    ['events protocol only', openSocket(url, ['bootlab.events.v1'])],
    ['wrong token', openSocket(url, eventProtocols(t.slice(1) + 'x'))],
    ['token without the events protocol', openSocket(url, [`bootlab.token.${t}`])],
    ['two tokens', openSocket(url, [...eventProtocols(t), 'bootlab.token.other'])],
    ['query ?token=', openSocket(`${url}?token=${t}`, [])],
    ['query ?token= with events protocol', openSocket(`${url}?token=${t}`, ['bootlab.events.v1'])],
    ['cookie', openSocket(url, ['bootlab.events.v1'], { cookie: `token=${t}` })],
    ['x-bootlab-token header', openSocket(url, ['bootlab.events.v1'], { 'x-bootlab-token': t })],
    ['Authorization: Bearer', openSocket(url, ['bootlab.events.v1'], { authorization: `Bearer ${t}` })],
  ];
  const opened: string[] = [];
  for (const [name, result] of wrong) {
    const r = await result;
    if (!r.startsWith('refused')) opened.push(`${name}: ${r}`);
  }
  assert.deepEqual(opened, []);
  // The right place opens, and the server selects the feed's protocol, not the token entry.
  assert.equal(await openSocket(url, eventProtocols(t)), 'open bootlab.events.v1');
});
