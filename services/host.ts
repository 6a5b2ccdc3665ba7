import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from './core/bus.js';
import type { ConfigStore } from './core/config-store.js';
import { loadConfigStore } from './load-config.js';
import type { ServiceName } from './shared/events.js';
import { SERVICE_NAMES } from './shared/events.js';
import { giveBackToInvokingUser } from './core/owner.js';
import { bootRootOf } from './core/paths.js';
import { createLogger, type Logger } from './core/logger.js';
import { LogBuffer } from './core/log-buffer.js';
import { Runtime } from './core/runtime.js';
import { Supervisor } from './core/supervisor.js';
import { watchInterfaces } from './net/interfaces.js';
import { createApiRouter } from './api/router.js';
import { registerCoreRoutes } from './api/routes/core.js';
import { ApiServer } from './api/server.js';
import { registerAccessRoutes } from './api/routes/access.js';
import type { UiAccessView } from './api/contract-access.js';
import { DEFAULT_UI_PORT, loadOrCreateToken, rotateToken, tokenPath } from './core/ui-access.js';
import { BootlabError } from './shared/errors.js';
import { DhcpService } from './dhcp/service.js';
import { TftpService } from './tftp/service.js';
import { HttpService } from './http/service.js';
import { SyslogService } from './syslog/service.js';
import { ClientSessions } from './stats/sessions.js';
import { SessionStore } from './stats/session-store.js';
import { ThroughputMeter } from './stats/throughput.js';
import { MachineLog } from './stats/machine-log.js';
import { registerStatsRoutes } from './api/routes/stats.js';
import { MenuManager } from './menu/menu-manager.js';
import { BootLibrary } from './library/library-service.js';
import { registerLibraryRoutes } from './api/routes/library.js';
import { registerMenuRoutes } from './api/routes/menu.js';
import { registerDhcpRoutes } from './api/routes/dhcp.js';
import { LabManager } from './lab/lab-manager.js';
import { registerLabRoutes } from './api/routes/lab.js';
import { Builder } from './builder/builder.js';
import { registerBuilderRoutes } from './api/routes/builder.js';
import { systemIpxeProvider } from './dhcp/first-stage.js';
import { signedChainProvider } from './dhcp/signed-chain.js';

export interface HostOptions {
  dataDir: string;
  configPath?: string;
  uiDir: string;
  /** undefined: DEFAULT_UI_PORT, falling back to a free port when another program holds it. */
  uiPort: number | undefined;
  uiAddress?: string;
  /** Settings from the command line, saved into the active profile before anything starts. */
  profilePatch?: Record<string, unknown>;
  /** Services to start at launch; the rest wait for the UI. */
  startServices?: readonly ServiceName[];
  version: string;
  quiet?: boolean;
  /** Runs after the runtime exists and before services start (quick boot mode registers its entry here). */
  prepare?: (host: Host) => void | Promise<void>;
  /** Called when the UI (or Electron) asks the host to shut down. */
  onShutdownRequest?: () => void;
}

/**
 * The services host: one process that owns the config, the event bus, every boot service and the control
 * API. The CLI runs it headless; Electron spawns the CLI and opens a window on the URL it prints.
 */
export class Host {
  readonly bus: EventBus;
  readonly log: Logger;
  readonly store: ConfigStore;
  readonly runtime = new Runtime();
  readonly supervisor: Supervisor;
  private currentToken: string;
  private uiFallbackReason: string | undefined;
  private readonly logs: LogBuffer;
  readonly sessions: ClientSessions;
  readonly throughput: ThroughputMeter;
  private readonly machineLog: MachineLog;
  readonly menu: MenuManager;
  readonly library: BootLibrary;
  readonly lab: LabManager;
  readonly builder: Builder;
  private readonly api: ApiServer;
  private stopWatching: (() => void) | undefined;
  private uiUrl = '';

  constructor(private readonly opts: HostOptions) {
    mkdirSync(opts.dataDir, { recursive: true });
    giveBackToInvokingUser(opts.dataDir);
    // The same address every launch: the token is kept in the data dir (owner-only), see core/ui-access.ts.
    this.currentToken = loadOrCreateToken(opts.dataDir).token;
    this.bus = new EventBus((err) => process.stderr.write(`bootlab: event handler failed: ${String(err)}\n`));
    this.log = createLogger(this.bus, 'bootlab', { quiet: opts.quiet });
    this.logs = new LogBuffer(this.bus);
    // Sessions and their history live in SQLite in the data dir (WAL), so they survive a restart.
    this.sessions = new ClientSessions(this.bus, this.runtime, {
      store: new SessionStore({ path: join(opts.dataDir, 'sessions.sqlite') }),
    });
    this.throughput = new ThroughputMeter(this.bus, this.runtime);
    this.machineLog = new MachineLog(this.bus, this.runtime);
    this.store = loadConfigStore(opts.configPath ?? join(opts.dataDir, 'config.json'));
    this.supervisor = new Supervisor({
      bus: this.bus,
      store: this.store,
      log: this.log,
      runtime: this.runtime,
      dataDir: opts.dataDir,
      factories: {
        dhcp: () => new DhcpService(),
        tftp: () => new TftpService(),
        http: () => new HttpService(),
        syslog: () => new SyslogService(),
      },
    });
    const bootRoot = (): string => this.bootRoot();
    this.menu = new MenuManager({ store: this.store, bootRoot, log: this.log.child('menu') });
    const router = createApiRouter();
    registerMenuRoutes(router, { menu: this.menu, runtime: this.runtime, bootRoot });
    registerDhcpRoutes(router, {
      store: this.store,
      supervisor: this.supervisor,
      runtime: this.runtime,
      bootRoot,
    });
    // Test-boot VMs join the interface the boot services listen on (a lab bridge) while they run.
    this.lab = new LabManager({
      bus: this.bus,
      runtime: this.runtime,
      log: this.log.child('lab'),
      servedInterface: () =>
        this.supervisor.status().some((s) => s.state === 'running') ? this.store.profile.interface : null,
    });
    registerLabRoutes(router, this.lab);
    // iPXE builds: one at a time, output to the Builder page's terminal (BOOTLAB_MAKE: a stand-in make for UI tests).
    const httpPort = (): number => this.runtime.httpPort ?? this.store.profile.http.port;
    this.builder = new Builder({
      dataDir: opts.dataDir,
      httpPort,
      makeCommand: process.env.BOOTLAB_MAKE || 'make',
      events: {
        output: (buildId, data) => this.bus.emit('build.output', { buildId, data }),
        state: (job) =>
          this.bus.emit('build.output', {
            buildId: job.id,
            data: '',
            state: job.state,
            progress: job.progress,
            elapsedMs: job.elapsedMs,
          }),
      },
    });
    registerBuilderRoutes(router, { builder: this.builder, store: this.store, bootRoot, httpPort });
    this.library = new BootLibrary({
      dataDir: opts.dataDir,
      bootRoot,
      settings: () => this.store.profile.library,
      saveSettings: async (patch) => {
        await this.store.setProfile({
          ...this.store.profile,
          library: { ...this.store.profile.library, ...patch },
        });
      },
      bus: this.bus,
      log: this.log.child('library'),
    });
    registerLibraryRoutes(router, {
      library: this.library,
      menu: this.menu,
      store: this.store,
      supervisor: this.supervisor,
      bootRoot,
    });
    registerStatsRoutes(router, {
      sessions: this.sessions,
      throughput: this.throughput,
      machineLog: this.machineLog,
      runtime: this.runtime,
    });
    registerCoreRoutes(router, {
      version: opts.version,
      dataDir: opts.dataDir,
      store: this.store,
      supervisor: this.supervisor,
      runtime: this.runtime,
      logs: this.logs,
      sessions: this.sessions,
      shutdown: () => opts.onShutdownRequest?.(),
    });
    registerAccessRoutes(router, {
      view: () => this.accessView(),
      rotate: () => {
        this.currentToken = rotateToken(opts.dataDir);
        this.api.setToken(this.currentToken);
        this.uiUrl = `http://127.0.0.1:${this.api.port}/#token=${this.currentToken}`;
        this.log.info('A new UI token was made; the old address no longer opens Bootlab.');
        return this.accessView();
      },
    });
    this.api = new ApiServer({
      router,
      bus: this.bus,
      token: this.currentToken,
      uiDir: opts.uiDir,
      address: opts.uiAddress ?? '127.0.0.1',
      port: opts.uiPort ?? DEFAULT_UI_PORT,
    });
  }

  /** The API token (stored in the data dir; rotated from Settings). */
  get token(): string {
    return this.currentToken;
  }

  private accessView(): UiAccessView {
    return {
      url: this.uiUrl,
      port: this.api.port,
      defaultPort: DEFAULT_UI_PORT,
      ...(this.uiFallbackReason ? { fallbackReason: this.uiFallbackReason } : {}),
      tokenFile: tokenPath(this.opts.dataDir),
    };
  }

  /** Listens on the requested port; with no port asked for, the default one, else any free one (said once). */
  private async startApi(): Promise<number> {
    if (this.opts.uiPort !== undefined) return this.api.start();
    try {
      return await this.api.start();
    } catch (err) {
      if (!(err instanceof BootlabError) || err.code !== 'PORT_IN_USE') throw err;
      const port = await this.api.start(0);
      this.uiFallbackReason = `Port ${DEFAULT_UI_PORT} was taken (${err.message}), so Bootlab uses port ${port} this time. Bookmarks of port ${DEFAULT_UI_PORT} work again once that program is closed and Bootlab restarts.`;
      this.log.warn(this.uiFallbackReason);
      return port;
    }
  }

  /** The boot root of the active profile (absolute). */
  bootRoot(): string {
    return bootRootOf(this.store.profile, this.opts.dataDir);
  }

  get url(): string {
    return this.uiUrl;
  }

  /** Starts the API, then the requested services. Resolves when each is running or has failed. */
  async start(): Promise<{ url: string; failed: ServiceName[] }> {
    if (this.opts.profilePatch && Object.keys(this.opts.profilePatch).length > 0) {
      await this.store.patchProfile(this.opts.profilePatch);
    }
    const port = await this.startApi();
    this.uiUrl = `http://127.0.0.1:${port}/#token=${this.token}`;
    this.stopWatching = watchInterfaces((interfaces) => {
      this.bus.emit('net.interfaces', { interfaces });
      void this.supervisor.interfacesChanged(interfaces);
    });
    // The menu serves /boot.ipxe and pxelinux.cfg/default; quick mode (prepare) may replace the script.
    await this.menu.detect();
    this.menu.install(this.runtime);
    // ISOs in the library folder get their own submenus; extracted files are served under bootlab-library/.
    await this.library.start(this.runtime, this.menu);
    // The system's prebuilt iPXE (/usr/lib/ipxe) is served whatever the DHCP mode: a site that keeps its
    // own DHCP server still needs Bootlab's TFTP to hand out undionly.kpxe and ipxe.efi.
    this.runtime.addVirtualFiles((path, client) => systemIpxeProvider(this.bootRoot())(path, client));
    // Secure Boot machines: shim-signed + grub-efi-amd64-signed as shimx64.efi / grubx64.efi (issue 16).
    this.runtime.addVirtualFiles((path, client) => signedChainProvider(this.bootRoot())(path, client));
    await this.opts.prepare?.(this);
    const wanted = this.opts.startServices ?? [];
    if (wanted.length > 0 && !this.store.profile.interface) {
      this.log.warn(
        'No interface is chosen yet: the boot services wait. Choose one in Settings, then press Start.',
      );
      return { url: this.uiUrl, failed: [] };
    }
    const states = await this.supervisor.startAll(wanted.filter((n) => SERVICE_NAMES.includes(n)));
    const failed = states
      .filter((s) => wanted.includes(s.service) && s.state === 'failed')
      .map((s) => s.service);
    return { url: this.uiUrl, failed };
  }

  async stop(): Promise<void> {
    this.stopWatching?.();
    await this.lab.stopAll();
    this.builder.stop();
    await this.library.stop();
    await this.supervisor.stopAll();
    await this.api.stop();
    this.throughput.close();
    this.machineLog.close();
    this.sessions.close(); // writes what is queued and closes the database
  }
}
