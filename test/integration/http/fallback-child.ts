// Child for service-port.test.ts: starts HttpService on 127.0.0.1 with the profile's port settings from
// argv (JSON) and prints the StartResult (or the error) as one JSON line, then stops.
import { EventBus } from '../../../services/core/bus.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import { profileSchema } from '../../../services/profile.js';
import { asBootlabError } from '../../../services/shared/errors.js';
import { HttpService } from '../../../services/http/service.js';

const http = JSON.parse(process.argv[2] ?? '{}') as { port: number; fallbackPort: number };
const bus = new EventBus();
const runtime = new Runtime();
const service = new HttpService();
try {
  const result = await service.start({
    profile: profileSchema.parse({ http }),
    bus,
    log: createLogger(bus, 'child', { quiet: true }),
    network: {
      iface: { name: 'lo', mac: null, up: true, ipv4: [], internal: true },
      address: '127.0.0.1',
      netmask: '255.0.0.0',
    },
    bootRoot: '/nonexistent-boot-root',
    dataDir: '/tmp',
    runtime,
  });
  console.log(JSON.stringify({ ok: true, ...result, httpPort: runtime.httpPort }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: asBootlabError(err).toJSON() }));
}
await service.stop();
