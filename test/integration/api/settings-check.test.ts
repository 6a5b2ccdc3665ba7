import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';
import { freePort } from '../../helpers/ports.js';

// Settings are checked against this machine when saved (PUT /api/config), on the loopback interface
// (127.0.0.1/8 here): every bad value is refused with a FieldProblem per field, all at once.
let app: RunningBootlab;
let dataDir: string;
let bootDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bootlab-settings-'));
  bootDir = mkdtempSync(join(tmpdir(), 'bootlab-settings-root-'));
  const [http, tftp, syslog] = [await freePort('tcp'), await freePort('udp'), await freePort('udp')];
  app = await startBootlab([
    'serve',
    ...['--data-dir', dataDir, '--interface', 'lo', '--dhcp', 'off', '--no-start', '--quiet'],
    ...['--boot-root', bootDir, '--http-port', String(http), '--tftp-port', String(tftp)],
    ...['--syslog-port', String(syslog), '--ui-port', '0'],
  ]);
});

after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bootDir, { recursive: true, force: true });
});

interface Problem {
  field: string;
  message: string;
  hint?: string;
}

async function put(patch: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${app.base}/api/config`, {
    method: 'PUT',
    headers: { 'x-bootlab-token': app.token, 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  return { status: res.status, json: await res.json() };
}

async function savedProfile(): Promise<unknown> {
  const res = await fetch(`${app.base}/api/config`, { headers: { 'x-bootlab-token': app.token } });
  return ((await res.json()) as { profile: unknown }).profile;
}

async function refused(patch: unknown): Promise<Problem[]> {
  const r = await put(patch);
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'CONFIG_INVALID');
  return r.json.error.fields as Problem[];
}

const one = (problems: Problem[], field: string): Problem => {
  const p = problems.find((x) => x.field === field);
  assert.ok(p, `no problem for ${field}: ${JSON.stringify(problems)}`);
  assert.ok(p.hint && p.hint.length > 10, `a hint for ${field}`);
  return p;
};

test('a boot folder that does not exist, or is a file, is refused at save', async () => {
  const missing = await refused({ bootRoot: join(bootDir, 'nonexistent') });
  assert.match(one(missing, 'bootRoot').message, /does not exist/);
  const file = join(bootDir, 'a-file');
  writeFileSync(file, 'x');
  assert.match(one(await refused({ bootRoot: file }), 'bootRoot').message, /is a file, not a folder/);
  const saved = await put({ bootRoot: bootDir });
  assert.equal(saved.status, 200);
});

test('a reversed pool is refused', async () => {
  const p = await refused({ dhcp: { mode: 'full', pool: { start: '127.0.0.200', end: '127.0.0.100' } } });
  assert.match(
    one(p, 'dhcp.pool.end').message,
    /ends \(127\.0\.0\.100\) before it starts \(127\.0\.0\.200\)/,
  );
});

test("a pool outside the interface's network is refused, start and end each", async () => {
  const p = await refused({ dhcp: { mode: 'full', pool: { start: '10.1.2.100', end: '10.1.2.150' } } });
  assert.match(one(p, 'dhcp.pool.start').message, /10\.1\.2\.100 is not on lo's network 127\.0\.0\.0\/8/);
  assert.match(one(p, 'dhcp.pool.end').message, /10\.1\.2\.150 is not on lo's network/);
});

test("a pool that contains the interface's own address is refused", async () => {
  const p = await refused({ dhcp: { mode: 'full', pool: { start: '127.0.0.1', end: '127.0.0.50' } } });
  assert.match(one(p, 'dhcp.pool').message, /contains this computer's own address 127\.0\.0\.1 on lo/);
});

test('reservations outside the network, on our own address, or reserved twice are refused', async () => {
  const p = await refused({
    dhcp: {
      mode: 'auto',
      reservations: [
        { mac: '52:54:00:00:00:01', ip: '127.0.0.60' },
        { mac: '52:54:00:00:00:02', ip: '192.168.7.9' },
        { mac: '52:54:00:00:00:01', ip: '127.0.0.61' },
        { mac: '52:54:00:00:00:04', ip: '127.0.0.60' },
        { mac: '52:54:00:00:00:05', ip: '127.0.0.1' },
      ],
    },
  });
  assert.match(one(p, 'dhcp.reservations.1.ip').message, /192\.168\.7\.9 is not on lo's network/);
  assert.match(one(p, 'dhcp.reservations.2.mac').message, /already has a reservation \(row 1\)/);
  assert.match(one(p, 'dhcp.reservations.3.ip').message, /already reserved for another machine \(row 1\)/);
  assert.match(one(p, 'dhcp.reservations.4.ip').message, /this computer's own address/);
  assert.equal(p.length, 4, JSON.stringify(p));
});

test('every problem comes back at once, and nothing was saved', async () => {
  const before = await savedProfile();
  const p = await refused({
    bootRoot: '/nonexistent-bootlab-folder',
    dhcp: { mode: 'full', pool: { start: '10.9.9.9', end: '10.9.9.1' } },
  });
  for (const field of ['bootRoot', 'dhcp.pool.start', 'dhcp.pool.end']) one(p, field);
  const afterSave = await savedProfile();
  assert.deepEqual(afterSave, before);
  const good = await put({ dhcp: { mode: 'full', pool: { start: '127.0.0.100', end: '127.0.0.150' } } });
  assert.equal(good.status, 200, JSON.stringify(good.json));
  await put({ dhcp: { mode: 'off' } });
});

test('TFTP and HTTP fail with the reason when the boot folder is gone, instead of showing Running', async () => {
  const gone = mkdtempSync(join(tmpdir(), 'bootlab-settings-gone-'));
  assert.equal((await put({ bootRoot: gone })).status, 200);
  rmSync(gone, { recursive: true, force: true });
  for (const name of ['tftp', 'http']) {
    const res = await fetch(`${app.base}/api/services/${name}/start`, {
      method: 'POST',
      headers: { 'x-bootlab-token': app.token },
    });
    const { state } = (await res.json()) as {
      state: { state: string; error?: { message: string; hint: string } };
    };
    assert.equal(state.state, 'failed', `${name}: ${JSON.stringify(state)}`);
    assert.match(
      state.error!.message,
      new RegExp(`${gone} does not exist\\. ${name.toUpperCase()} has nothing to serve`),
    );
    assert.match(state.error!.hint, /Boot files folder/);
  }
  assert.equal((await put({ bootRoot: bootDir })).status, 200);
});
