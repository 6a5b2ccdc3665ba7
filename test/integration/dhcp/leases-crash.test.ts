import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LeaseStore } from '../../../services/dhcp/leases.js';

const here = dirname(fileURLToPath(import.meta.url));

test('leases survive kill -9 with no duplicate address and every acknowledged lease kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-leases-'));
  const file = join(dir, 'leases.db');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'lease-writer.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked = new Map<string, string>();
    let buffered = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [mac, ip] = line.split(' ');
          acked.set(mac!, ip!);
        }
        if (acked.size >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));
    // The raw table: one row per address, one per MAC.
    const db = new Database(file);
    const dupIps = db.prepare('SELECT ip, COUNT(*) n FROM leases GROUP BY ip HAVING n > 1').all();
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    assert.deepEqual(dupIps, []);
    assert.equal(integrity, 'ok');
    const store = new LeaseStore(file);
    for (const [mac, ip] of acked) assert.equal(store.byMacAddress(mac)?.ip, ip, `${mac} kept ${ip}`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('expired leases are reclaimed: the address goes to a new client, the old row disappears', async () => {
  const store = new LeaseStore(':memory:');
  store.save({ mac: '02:00:00:00:00:01', ip: '10.9.0.5', state: 'bound', expires: 1000, lastSeen: 0 });
  const { Allocator } = await import('../../../services/dhcp/allocator.js');
  const alloc = new Allocator(store, {
    pool: { start: '10.9.0.5', end: '10.9.0.5' },
    reservations: new Map(),
    serverAddress: '10.9.0.1',
    leaseMs: 60_000,
    inUse: async () => false,
  });
  assert.equal(await alloc.offer('02:00:00:00:00:02', undefined, 500), undefined, 'still leased: pool full');
  const l = await alloc.offer('02:00:00:00:00:02', undefined, 2000);
  assert.equal(l?.ip, '10.9.0.5');
  // An offer is not written; the REQUEST binds and removes the expired row of the old client.
  assert.equal(alloc.request('02:00:00:00:00:02', '10.9.0.5', true, 2000).ok, true);
  assert.equal(store.byMacAddress('02:00:00:00:00:01'), undefined);
  store.save({ mac: '02:00:00:00:00:03', ip: '10.9.0.6', state: 'bound', expires: 1000, lastSeen: 0 });
  assert.equal(store.reclaimExpired(5000) >= 1, true);
  assert.equal(store.byAddress('10.9.0.6'), undefined);
});
