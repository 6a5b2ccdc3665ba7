/**
 * Runs the real TftpService in its own process (inside a test namespace, or for the benchmark so its RSS
 * can be measured). Usage: node --import tsx serve-child.ts '<json>' where json is
 * { bootRoot, ifname?, tftp?: {...config} }. Prints "READY <port>" once bound, then one JSON line per
 * tftp.transfer end event. Stops on SIGTERM or when stdin closes.
 */
import { startTestTftp } from './harness.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startTestTftp>[0];
const server = await startTestTftp({ ...opts, quiet: true });
let printed = 0;
const flush = (): void => {
  const ends = server.ends();
  for (; printed < ends.length; printed++) process.stdout.write(`EVENT ${JSON.stringify(ends[printed])}\n`);
};
const timer = setInterval(flush, 100);
process.stdout.write(`READY ${server.port}\n`);
const stop = async (): Promise<void> => {
  clearInterval(timer);
  flush();
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
