/**
 * Settings take effect (issue 10, item 6): changing the boot folder while TFTP and HTTP run restarts both,
 * and the next download, by curl over HTTP and by a real TFTP client (atftp), comes from the new folder.
 * Stopping a service takes its port out of /api/status. Everything on loopback, against `bootlab serve`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackServeArgs, startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';
import { TOKEN_HEADER } from '../../../services/shared/api-protocol.js';

let app: RunningBootlab;
let dir: string;
let httpPort: number;
let tftpPort: number;
let syslogPort: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bootlab-apply-'));
  for (const name of ['a', 'b']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'hello.txt'), `from folder ${name}\n`);
  }
  [httpPort, tftpPort, syslogPort] = [await freePort('tcp'), await freePort('udp'), await freePort('udp')];
  app = await startBootlab(
    await loopbackServeArgs(join(dir, 'data'), {
      freePorts: [],
      extra: [
        '--no-start',
        '--boot-root',
        join(dir, 'a'),
        '--http-port',
        String(httpPort),
        '--tftp-port',
        String(tftpPort),
        '--syslog-port',
        String(syslogPort),
      ],
    }),
  );
});

after(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(new URL(path, app.base), {
    method,
    headers: {
      [TOKEN_HEADER]: app.token,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

function curlGet(): string {
  return execFileSync('curl', ['-sS', '--fail', `http://127.0.0.1:${httpPort}/hello.txt`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function atftpGet(): string {
  const out = join(dir, `tftp-${Date.now()}.txt`);
  execFileSync('atftp', ['-g', '-r', 'hello.txt', '-l', out, '127.0.0.1', String(tftpPort)], {
    timeout: 20_000,
  });
  return readFileSync(out, 'utf8');
}

test('a new boot folder applies to running TFTP and HTTP at once: the next downloads come from it', async () => {
  for (const name of ['tftp', 'http']) {
    const { state } = await api('POST', `/api/services/${name}/start`);
    assert.equal(state.state, 'running', JSON.stringify(state));
  }
  assert.equal(curlGet(), 'from folder a\n');
  assert.equal(atftpGet(), 'from folder a\n');

  const saved = await api('PUT', '/api/config', { bootRoot: join(dir, 'b') });
  assert.deepEqual([...saved.restarted].sort(), ['http', 'tftp']);
  const { services } = await api('GET', '/api/services');
  for (const s of services.filter((x: { service: string }) => x.service === 'tftp' || x.service === 'http'))
    assert.equal(s.state, 'running', JSON.stringify(s));

  assert.equal(curlGet(), 'from folder b\n');
  assert.equal(atftpGet(), 'from folder b\n');
});

test('a stopped service takes its port out of /api/status (DHCP reads the same runtime for option 7)', async () => {
  await api('POST', '/api/services/tftp/start');
  assert.equal((await api('GET', '/api/status')).runtime.tftpPort, tftpPort);
  await api('POST', '/api/services/tftp/stop');
  assert.equal((await api('GET', '/api/status')).runtime.tftpPort, null);
  await api('POST', '/api/services/http/stop');
  assert.equal((await api('GET', '/api/status')).runtime.httpBase, null);
  await api('POST', '/api/services/syslog/start');
  assert.equal((await api('GET', '/api/status')).runtime.syslogPort, syslogPort);
  await api('POST', '/api/services/syslog/stop');
  assert.equal((await api('GET', '/api/status')).runtime.syslogPort, null);
});
