import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../services/core/logger.js';
import { EventBus } from '../../../services/core/bus.js';
import { Allocator } from '../../../services/dhcp/allocator.js';
import { decodePacket, DhcpDecodeError } from '../../../services/dhcp/codec.js';
import { LeaseStore } from '../../../services/dhcp/leases.js';
import { readClientRequest } from '../../../services/dhcp/options.js';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';
import { DhcpServer } from '../../../services/dhcp/server.js';
import { loadCaptures } from './fixtures.js';

/** Small seeded PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Buffer, r: () => number): Buffer {
  const b = Buffer.from(src);
  switch (Math.floor(r() * 5)) {
    case 0: // truncate anywhere
      return b.subarray(0, Math.floor(r() * b.length));
    case 1: // flip bytes in the option area
      for (let i = 0; i < 1 + r() * 8; i++)
        b[240 + Math.floor(r() * (b.length - 240))] = Math.floor(r() * 256);
      return b;
    case 2: // corrupt a length byte: walk to a random option and set its length
      b[241 + Math.floor(r() * 40)] = Math.floor(r() * 256);
      return b;
    case 3: // random header bytes (op, hlen, overload, cookie)
      for (let i = 0; i < 3; i++) b[Math.floor(r() * 244)] = Math.floor(r() * 256);
      return b;
    default: // pure noise of random length
      return Buffer.from(Array.from({ length: Math.floor(r() * 600) }, () => Math.floor(r() * 256)));
  }
}

test('fuzz: mutated captures either decode or throw DhcpDecodeError, never anything else', () => {
  const r = rng(1234);
  const seeds = loadCaptures().map((c) => Buffer.from(c.hex, 'hex'));
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    const buf = mutate(seeds[i % seeds.length]!, r);
    try {
      readClientRequest(decodePacket(buf));
    } catch (err) {
      assert.ok(err instanceof DhcpDecodeError, `iteration ${i}: ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 1000, `expected many rejections, got ${rejected}`);
});

test('fuzz: the server handles 5,000 mutated packets without throwing and counts every drop', async () => {
  const r = rng(99);
  const seeds = loadCaptures().map((c) => Buffer.from(c.hex, 'hex'));
  const store = new LeaseStore(':memory:');
  const server = new DhcpServer({
    mode: 'full',
    serverAddress: '10.77.0.1',
    subnetMask: '255.255.255.0',
    router: null,
    dns: [],
    domain: null,
    leaseSeconds: 600,
    ports: { server: 67, client: 68 },
    allocator: new Allocator(store, {
      pool: { start: '10.77.0.10', end: '10.77.0.250' },
      reservations: new Map(),
      serverAddress: '10.77.0.1',
      leaseMs: 600_000,
      inUse: async () => false,
    }),
    policy: () => ({
      serverAddress: '10.77.0.1',
      httpBase: null,
      scriptPath: '/boot.ipxe',
      firstStage: DEFAULT_FIRST_STAGE,
      overrides: new Map(),
    }),
    syslogAddress: () => null,
    send: () => undefined,
    log: createLogger(new EventBus(), 'fuzz', { quiet: true }),
    rateLimit: { packets: 1_000_000, windowMs: 1000 },
  });
  for (let i = 0; i < 5000; i++)
    await server.handle(mutate(seeds[i % seeds.length]!, r), { address: '0.0.0.0', port: 68 }, 'main');
  const s = server.stats;
  assert.equal(s.received, 5000);
  assert.ok(s.dropped > 500, `drops counted: ${s.dropped}`);
  const byReason = Object.values(s.dropReasons).reduce((a, b) => a + b, 0);
  assert.equal(byReason, s.dropped, 'every drop has a reason');
  assert.equal(s.dropReasons['internal-error'] ?? 0, 0, 'no malformed packet reaches an internal error');
});
