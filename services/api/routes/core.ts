import type { ConfigStore } from '../../core/config-store.js';
import { BootlabError } from '../../shared/errors.js';
import type { ServiceName } from '../../shared/events.js';
import { SERVICE_NAMES } from '../../shared/events.js';
import type { LogBuffer } from '../../core/log-buffer.js';
import type { Runtime } from '../../core/runtime.js';
import type { Supervisor } from '../../core/supervisor.js';
import type { ClientSessions } from '../../stats/sessions.js';
import { settingsProblems } from '../settings-check.js';
import { listInterfaces } from '../../net/interfaces.js';
import { serviceActionSchema } from '../contract.js';
import type { ApiRouter } from '../router.js';

export interface CoreRouteDeps {
  version: string;
  dataDir: string;
  store: ConfigStore;
  supervisor: Supervisor;
  runtime: Runtime;
  logs: LogBuffer;
  sessions: ClientSessions;
  /** Stops the host and exits the process, after the response is sent. */
  shutdown: () => void;
}

/** Status, interfaces, config and service control: the routes the Dashboard and Settings pages use. */
export function registerCoreRoutes(router: ApiRouter, deps: CoreRouteDeps): void {
  const { store, supervisor, runtime } = deps;

  router.add('GET /api/status', () => ({
    version: deps.version,
    dataDir: deps.dataDir,
    configPath: store.path,
    profileName: store.activeName,
    services: supervisor.status(),
    interfaces: listInterfaces(),
    runtime: {
      serverAddress: runtime.serverAddress,
      httpBase: runtime.httpBase(),
      tftpPort: runtime.tftpPort,
      syslogPort: runtime.syslogPort,
    },
  }));

  router.add('GET /api/interfaces', () => ({ interfaces: listInterfaces() }));
  router.add('GET /api/config', () => ({ profile: store.profile }));
  // Checked against this machine at save (folder exists, pool fits the interface): all problems at once.
  router.add('PUT /api/config', async ({ body }) => ({
    profile: await store.patchProfile(body, (p) => settingsProblems(p, { interfaces: listInterfaces() })),
    // Running services whose settings changed restart themselves; answer once they have.
    restarted: await supervisor.settingsApplied(),
  }));
  router.add('GET /api/services', () => ({ services: supervisor.status() }));
  router.add('POST /api/services/start-all', async () => ({ services: await supervisor.startAll() }));
  router.add('POST /api/services/stop-all', async () => {
    await supervisor.stopAll();
    return { services: supervisor.status() };
  });
  router.add('POST /api/services/:name/:action', async ({ params }) => {
    const name = params.name as ServiceName;
    if (!SERVICE_NAMES.includes(name)) {
      throw new BootlabError(
        'NOT_FOUND',
        `There is no service "${params.name}".`,
        `Services: ${SERVICE_NAMES.join(', ')}.`,
      );
    }
    const action = serviceActionSchema.safeParse(params.action);
    if (!action.success) {
      throw new BootlabError(
        'BAD_REQUEST',
        `"${params.action}" is not a service action.`,
        'Use start, stop or restart.',
      );
    }
    const state =
      action.data === 'start'
        ? await supervisor.start(name)
        : action.data === 'stop'
          ? await supervisor.stop(name)
          : await supervisor.restart(name);
    return { state };
  });
  router.add('GET /api/logs', () => ({ entries: deps.logs.recent() }));
  router.add('GET /api/clients', () => ({ clients: deps.sessions.list() }));
  router.add('POST /api/shutdown', () => {
    setTimeout(deps.shutdown, 50);
    return { stopping: true as const };
  });
}
