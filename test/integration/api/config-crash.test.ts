import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFileSchema } from '../../../services/profile.js';

const saver = fileURLToPath(new URL('../../helpers/config-saver.ts', import.meta.url));

test('killing the process during config saves never leaves a torn file (40 kills)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-crash-'));
  const path = join(dir, 'config.json');
  const seen = new Set<number>();
  for (let round = 0; round < 40; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', saver, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // Kill at a different moment each round, somewhere inside the save loop.
    await new Promise((r) => setTimeout(r, 20 + ((round * 37) % 180)));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // killed before the very first save finished: no file yet is fine
    }
    const parsed = configFileSchema.parse(JSON.parse(text)); // throws on a torn file
    const dhcp = parsed.profiles.default!.dhcp;
    assert.ok([3600, 7200].includes(dhcp.leaseSeconds));
    assert.equal(dhcp.reservations.length, 400);
    // Both halves of each file come from the same save: every reservation's second octet matches.
    const octets = new Set(dhcp.reservations.map((r) => r.ip.split('.')[1]));
    assert.equal(octets.size, 1);
    seen.add(dhcp.leaseSeconds);
  }
  assert.ok(seen.size >= 1);
  // Leftover temporary files from killed writes are allowed, but the real file is never one of them.
  assert.ok(readdirSync(dir).includes('config.json'));
});
