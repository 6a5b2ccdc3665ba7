/**
 * Runs Bootlab's DhcpService inside a test namespace. argv[2] is JSON:
 *   { interface, dhcp (profile section), bootRoot, dataDir, httpPort?, syslogPort? }
 * Prints `READY <StartResult + status JSON>` or `ERROR <BootlabError JSON>`, then one `EVENT <json>` per
 * DHCP event. SIGTERM stops the service cleanly and exits.
 */
import { EventBus } from '../../../services/core/bus.js';
import { profileSchema } from '../../../services/profile.js';
import { asBootlabError } from '../../../services/shared/errors.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import { DhcpService } from '../../../services/dhcp/service.js';
import { resolveInterface } from '../../../services/net/interfaces.js';

const args = JSON.parse(process.argv[2]!) as {
  interface: string;
  dhcp: Record<string, unknown>;
  bootRoot: string;
  dataDir: string;
  httpPort?: number;
  syslogPort?: number;
  /** Benchmarks: do not print one line per event. */
  quietEvents?: boolean;
};
const bus = new EventBus();
const runtime = new Runtime();
const network = resolveInterface(args.interface);
runtime.serverAddress = network.address;
runtime.httpPort = args.httpPort ?? null;
runtime.syslogPort = args.syslogPort ?? null;
for (const type of args.quietEvents ? [] : (['dhcp.offer', 'dhcp.ack', 'dhcp.drop', 'log'] as const)) {
  bus.on(type, (payload) => process.stdout.write(`EVENT ${JSON.stringify({ type, ...payload })}\n`));
}
const service = new DhcpService();
try {
  const result = await service.start({
    profile: profileSchema.parse({ interface: args.interface, dhcp: args.dhcp }),
    bus,
    log: createLogger(bus, 'dhcp', { quiet: args.quietEvents === true }),
    network,
    bootRoot: args.bootRoot,
    dataDir: args.dataDir,
    runtime,
  });
  process.stdout.write(
    `READY ${JSON.stringify({ ...result, status: service.status(), firstStage: service.firstStage() })}\n`,
  );
} catch (err) {
  process.stdout.write(`ERROR ${JSON.stringify(asBootlabError(err).toJSON())}\n`);
  process.exit(2);
}
process.on('SIGTERM', () => {
  process.stdout.write(`STATUS ${JSON.stringify(service.status())}\n`);
  process.stdout.write(`LEASES ${JSON.stringify(service.leases())}\n`);
  void service.stop().then(() => process.exit(0));
});
