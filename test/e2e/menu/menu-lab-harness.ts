// Runs Bootlab's real DHCP, TFTP and HTTP services inside the lab namespace with the menu manager
// installed (what services/host.ts does once the menu is wired in), from a config file the test wrote.
// Prints "MENU-HARNESS ready" when the services run, then one JSON line per check-in and per saved
// profile change. Started by menu-boot.test.ts:  node --import tsx menu-lab-harness.ts <config.json>
import { dirname, join, resolve } from 'node:path';
import { EventBus } from '../../../services/core/bus.js';
import { loadConfigStore } from '../../../services/load-config.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import { Supervisor } from '../../../services/core/supervisor.js';
import { DhcpService } from '../../../services/dhcp/service.js';
import { TftpService } from '../../../services/tftp/service.js';
import { HttpService } from '../../../services/http/service.js';
import { SyslogService } from '../../../services/syslog/service.js';
import { MenuManager } from '../../../services/menu/menu-manager.js';

const configPath = resolve(process.argv[2] ?? 'config.json');
const dataDir = dirname(configPath);
const bus = new EventBus((err) => process.stderr.write(`handler error: ${String(err)}\n`));
const log = createLogger(bus, 'bootlab', { quiet: true });
const store = loadConfigStore(configPath);
const runtime = new Runtime();
const bootRoot = (): string => resolve(store.profile.bootRoot ?? join(dataDir, 'boot'));
const supervisor = new Supervisor({
  bus,
  store,
  log,
  runtime,
  dataDir,
  factories: {
    dhcp: () => new DhcpService(),
    tftp: () => new TftpService(),
    http: () => new HttpService(),
    syslog: () => new SyslogService(),
  },
});
// System rescue tools (memtest86+ in /boot) are detected and served as the host does.
const menu = new MenuManager({ store, bootRoot, log });
await menu.detect();
menu.install(runtime);

const out = (o: unknown): void => void process.stdout.write(JSON.stringify(o) + '\n');
bus.on('http.checkin', (p) => out({ type: 'checkin', ...p }));
bus.on('log', (p) => {
  if (p.level === 'error' || p.level === 'warn') out({ type: 'log', ...p });
});
store.onChange((profile) => out({ type: 'saved', hosts: profile.menu.hosts }));

const states = await supervisor.startAll(['http', 'tftp', 'dhcp']);
const failed = states.filter((s) => s.state === 'failed');
if (failed.length > 0) {
  out({ type: 'error', failed });
  process.exit(1);
}
process.stdout.write(`MENU-HARNESS ready ${runtime.httpBase()}\n`);
process.on('SIGTERM', () => {
  void supervisor.stopAll().then(() => process.exit(0));
});
