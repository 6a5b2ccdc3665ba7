// Runs the app's LabManager inside the lab namespace (where br0 is "the interface Bootlab serves") and
// prints every bus event about the VM as one JSON line on stdout. Started by lab-manager.test.ts:
//   node --import tsx lab-manager-harness.ts '<TestBootRequest JSON>' <httpBase>
import { EventBus } from '../../../services/core/bus.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import { testBootRequestSchema } from '../../../services/lab/views.js';
import { LabManager } from '../../../services/lab/lab-manager.js';

const [reqJson = '{}', httpBase = 'http://10.77.0.1:8080'] = process.argv.slice(2);
const url = new URL(httpBase);
const bus = new EventBus((err) => process.stderr.write(`handler error: ${String(err)}\n`));
const runtime = new Runtime();
runtime.serverAddress = url.hostname;
runtime.httpPort = Number(url.port || 80);
const lab = new LabManager({
  bus,
  runtime,
  log: createLogger(bus, 'lab', { quiet: true }),
  servedInterface: () => 'br0',
});

bus.on('lab.console', (p) => {
  process.stdout.write(JSON.stringify({ type: 'lab.console', ...p }) + '\n');
  if (p.state === 'exited') process.exit(0);
});
try {
  const vm = await lab.start(testBootRequestSchema.parse(JSON.parse(reqJson)));
  process.stdout.write(JSON.stringify({ type: 'started', vm }) + '\n');
} catch (err) {
  process.stdout.write(
    JSON.stringify({
      type: 'error',
      message: (err as Error).message,
      hint: (err as { hint?: string }).hint,
    }) + '\n',
  );
  process.exit(1);
}
process.on('SIGTERM', () => {
  void lab.stopAll().then(() => process.exit(0));
});
