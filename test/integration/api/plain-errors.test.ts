/**
 * Errors in a technician's words at the API: a refused request body or setting names each field in the
 * `fields` list (path for the UI, sentence for the person) and its message carries no schema path or zod
 * wording, all problems at once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';

let app: RunningBootlab;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-plain-errors-'));
  app = await startBootlab(['serve', '--data-dir', dataDir, '--ui-port', '0', '--no-start', '--quiet']);
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function send(method: string, path: string, body: unknown) {
  const res = await fetch(app.base + path, {
    method,
    headers: { 'x-bootlab-token': app.token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as {
    error: { code: string; message: string; hint: string; fields?: { field: string; message: string }[] };
  };
  return { status: res.status, error: json.error };
}

const ZOD_WORDS = /Invalid|String must contain|Number must be|Expected|Required|request body is not valid/;

test('a refused request body names every field in words', async () => {
  const { status, error } = await send('POST', '/api/lab/vms', { memoryMb: 9000, mac: 'nope' });
  assert.equal(status, 400);
  assert.deepEqual(
    error.fields?.map((f) => f.field),
    ['memoryMb', 'mac'],
  );
  assert.match(error.message, /Memory \(MiB\): this must be at most 8192\./);
  assert.match(error.message, /MAC address: this must be a MAC address like 52:54:00:12:34:56\./);
  assert.doesNotMatch(error.message, /memoryMb/);
  assert.doesNotMatch(error.message, ZOD_WORDS);
  assert.equal(error.hint, 'Correct the marked values and try again.');
});

test('refused settings name the field (with its path in fields) and say what to enter', async () => {
  const { status, error } = await send('PUT', '/api/config', {
    dhcp: { reservations: [{ mac: '52:54:00:aa:bb:cc', ip: '10.9.9' }], domain: 'bench_3.lan' },
  });
  assert.equal(status, 400);
  assert.equal(error.code, 'CONFIG_INVALID');
  const fields = Object.fromEntries((error.fields ?? []).map((f) => [f.field, f.message]));
  assert.equal(fields['dhcp.reservations.0.ip'], 'This is not an IPv4 address (like 192.168.1.10).');
  assert.equal(fields['dhcp.domain'], 'This must be a domain name like bench.lan.');
  assert.match(error.message, /Reservation 1, IP address: this is not an IPv4 address/);
  assert.doesNotMatch(error.message, /dhcp\.reservations|dhcp\.domain/);
  assert.doesNotMatch(error.message, ZOD_WORDS);
});
