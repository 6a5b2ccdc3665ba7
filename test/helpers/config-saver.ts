// Child process for the crash-during-save test: saves the config over and over, alternating between two
// versions, until it is killed with SIGKILL. Usage: config-saver.ts <config path>
import { loadConfigStore } from '../../services/load-config.js';

const path = process.argv[2]!;
const store = loadConfigStore(path);
let n = 0;
process.stdout.write('saving\n');
for (;;) {
  // Large arrays make each write take long enough that kills land mid-write.
  const reservations = Array.from({ length: 400 }, (_, i) => ({
    mac: `52:54:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    ip: `10.${n % 2}.${(i >> 8) & 255}.${i & 255}`,
  }));
  await store.patchProfile({ dhcp: { leaseSeconds: n % 2 === 0 ? 3600 : 7200, reservations } });
  n++;
}
