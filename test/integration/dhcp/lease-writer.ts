/** Child for leases-crash.test.ts: binds leases as fast as it can and prints each one after its commit. */
import { Allocator } from '../../../services/dhcp/allocator.js';
import { LeaseStore } from '../../../services/dhcp/leases.js';

const file = process.argv[2]!;
const store = new LeaseStore(file);
const alloc = new Allocator(store, {
  pool: { start: '10.50.0.1', end: '10.50.255.254' },
  reservations: new Map(),
  serverAddress: '10.50.0.0',
  leaseMs: 3600_000,
  inUse: async () => false,
});
let n = 0;
for (;;) {
  // Half new clients, half re-binding earlier ones (moves and renewals as well as inserts).
  const id = n % 2 === 0 ? n : Math.floor(n / 3);
  const mac = `02:00:${[24, 16, 8, 0].map((s) => ((id >>> s) & 255).toString(16).padStart(2, '0')).join(':')}`;
  const offer = await alloc.offer(mac, undefined, Date.now());
  const r = offer && alloc.request(mac, offer.ip, true, Date.now());
  if (r && r.ok === true) process.stdout.write(`${mac} ${r.lease.ip}\n`);
  n++;
}
