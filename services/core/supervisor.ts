import { mkdirSync } from 'node:fs';
import type { EventBus } from './bus.js';
import type { ConfigStore } from './config-store.js';
import { asBootlabError, BootlabError } from '../shared/errors.js';
import type { NetInterface, ServiceName, ServiceState } from '../shared/events.js';
import { SERVICE_NAMES } from '../shared/events.js';
import type { Logger } from './logger.js';
import type { Runtime } from './runtime.js';
import type { Profile } from '../profile.js';
import { assertBootFolder } from './boot-folder.js';
import { bootRootOf } from './paths.js';
import type { BootService, ServiceFactory, ServiceReports } from './service.js';
import { listInterfaces, resolveInterface, type ResolvedInterface } from '../net/interfaces.js';

export interface SupervisorOptions {
  bus: EventBus;
  store: ConfigStore;
  log: Logger;
  runtime: Runtime;
  dataDir: string;
  factories: Record<ServiceName, ServiceFactory>;
  listInterfaces?: () => NetInterface[];
}

/**
 * Starts and stops each boot service on its own and reports its state on the bus:
 * stopped → starting → running | failed (with the reason in words), and running → stopping → stopped.
 * Operations on one service are queued so a double click never binds twice.
 *
 * Settings take effect: a service starts with a snapshot of the profile, and when a saved profile changes
 * the settings a running service uses (its own section, the interface, the boot folder), that service
 * restarts itself (the Dashboard shows it stopping and running again). Stopping a service undoes what it
 * published (its port in the runtime, the addresses DHCP hands out for it).
 */
export class Supervisor {
  private readonly states = new Map<ServiceName, ServiceState>();
  private readonly instances = new Map<ServiceName, BootService>();
  private readonly queues = new Map<ServiceName, Promise<unknown>>();
  private boundTo: ResolvedInterface | null = null;
  /** The settings each running service started with (settingsOf), to tell which ones a save changes. */
  private readonly startedWith = new Map<ServiceName, string>();
  private applying: Promise<ServiceName[]> = Promise.resolve([]);

  constructor(private readonly opts: SupervisorOptions) {
    for (const name of SERVICE_NAMES)
      this.states.set(name, { service: name, state: 'stopped', since: now() });
    opts.store.onChange((profile) => {
      const previous = this.applying;
      this.applying = previous.catch(() => []).then(() => this.applySettings(profile));
    });
  }

  /** Resolves when the restarts caused by the last saved settings are done, with the services restarted. */
  settingsApplied(): Promise<ServiceName[]> {
    return this.applying;
  }

  /** Restarts every running service whose settings differ from the ones it started with (start order). */
  private async applySettings(profile: Profile): Promise<ServiceName[]> {
    const restarted: ServiceName[] = [];
    for (const name of START_ORDER) {
      const was = this.startedWith.get(name);
      if (was === undefined || !this.instances.has(name)) continue;
      if (was === settingsOf(name, profile, this.opts.dataDir)) continue;
      this.opts.log.info(`${name}: its settings changed; restarting it so they take effect.`);
      await this.restart(name);
      restarted.push(name);
    }
    return restarted;
  }

  status(): ServiceState[] {
    return SERVICE_NAMES.map((name) => this.states.get(name)!);
  }

  /** The running instance of a service, or undefined when not running. */
  running(name: ServiceName): BootService | undefined {
    return this.instances.get(name);
  }

  /** A running service's own typed report (core/service.ts ServiceReports); undefined while it is not running. */
  report<N extends ServiceName>(name: N): ServiceReports[N] | undefined {
    return this.instances.get(name)?.report?.() as ServiceReports[N] | undefined;
  }

  state(name: ServiceName): ServiceState {
    return this.states.get(name)!;
  }

  start(name: ServiceName): Promise<ServiceState> {
    return this.enqueue(name, () => this.doStart(name));
  }

  stop(name: ServiceName): Promise<ServiceState> {
    return this.enqueue(name, () => this.doStop(name));
  }

  async restart(name: ServiceName): Promise<ServiceState> {
    await this.stop(name);
    return this.start(name);
  }

  /** Starts the services in dependency order: HTTP and syslog first, so DHCP can hand out their addresses. */
  async startAll(names: readonly ServiceName[] = SERVICE_NAMES): Promise<ServiceState[]> {
    for (const name of START_ORDER) if (names.includes(name)) await this.start(name);
    return this.status();
  }

  async stopAll(): Promise<void> {
    for (const name of ['dhcp', 'tftp', 'http', 'syslog'] as const) await this.stop(name);
  }

  /** Called when the interface list changes: services on an interface that vanished or lost its address fail. */
  async interfacesChanged(interfaces: NetInterface[]): Promise<void> {
    if (!this.boundTo) return;
    const { iface, address } = this.boundTo;
    const current = interfaces.find((i) => i.name === iface.name);
    const stillThere = current?.ipv4.some((a) => a.address === address);
    if (stillThere) return;
    const error = current
      ? new BootlabError(
          'INTERFACE_NO_IPV4',
          `The interface "${iface.name}" lost its address ${address}; the boot services stopped.`,
          'Check the cable and the address of that interface, then press Start again.',
        )
      : new BootlabError(
          'INTERFACE_NOT_FOUND',
          `The interface "${iface.name}" is gone (unplugged or disabled); the boot services stopped.`,
          'Plug the adapter back in, or choose another interface in Settings, then press Start again.',
        );
    for (const name of SERVICE_NAMES) {
      if (this.instances.has(name)) {
        await this.enqueue(name, async () => {
          await this.doStop(name);
          return this.setState(name, { state: 'failed', error: error.toJSON() });
        });
      }
    }
    this.boundTo = null;
  }

  private enqueue<T>(name: ServiceName, op: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(name) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(op);
    this.queues.set(name, next);
    return next;
  }

  private async doStart(name: ServiceName): Promise<ServiceState> {
    if (this.instances.has(name)) return this.state(name);
    this.setState(name, { state: 'starting' });
    const service = this.opts.factories[name]();
    try {
      const profile = this.opts.store.profile;
      const network = resolveInterface(profile.interface, (this.opts.listInterfaces ?? listInterfaces)());
      const bootRoot = bootRootOf(profile, this.opts.dataDir);
      // Only the default folder (<data dir>/boot) is created; a folder the technician chose must exist.
      if (profile.bootRoot === null) mkdirSync(bootRoot, { recursive: true });
      // TFTP and HTTP serve the boot folder: without it they fail with the reason, never show Running.
      if (name === 'tftp' || name === 'http') assertBootFolder(bootRoot, name === 'tftp' ? 'TFTP' : 'HTTP');
      this.opts.runtime.serverAddress = network.address;
      const result = await service.start({
        profile,
        bus: this.opts.bus,
        log: this.opts.log.child(name),
        network,
        bootRoot,
        dataDir: this.opts.dataDir,
        runtime: this.opts.runtime,
      });
      this.instances.set(name, service);
      this.startedWith.set(name, settingsOf(name, profile, this.opts.dataDir));
      this.boundTo = network;
      this.opts.log.info(
        `${name} running on ${result.listening.join(', ')}${result.summary ? ` (${result.summary})` : ''}`,
      );
      return this.setState(name, { state: 'running', listening: result.listening, summary: result.summary });
    } catch (err) {
      const error = asBootlabError(err);
      this.opts.log.error(`${name} failed to start: ${error.toLine()}`);
      await service.stop().catch(() => {});
      return this.setState(name, { state: 'failed', error: error.toJSON() });
    }
  }

  private async doStop(name: ServiceName): Promise<ServiceState> {
    const service = this.instances.get(name);
    if (!service) {
      const current = this.state(name);
      return current.state === 'failed' ? current : this.setState(name, { state: 'stopped' });
    }
    this.setState(name, { state: 'stopping', listening: this.state(name).listening });
    try {
      await service.stop();
    } catch (err) {
      this.opts.log.warn(`${name} did not stop cleanly: ${asBootlabError(err).message}`);
    }
    this.instances.delete(name);
    this.startedWith.delete(name);
    if (this.instances.size === 0) this.boundTo = null;
    return this.setState(name, { state: 'stopped' });
  }

  private setState(name: ServiceName, patch: Omit<ServiceState, 'service' | 'since'>): ServiceState {
    const state: ServiceState = { service: name, since: now(), ...patch };
    this.states.set(name, state);
    this.opts.bus.emit('service.state', state);
    return state;
  }
}

/** HTTP and syslog first, so DHCP can hand out their addresses. */
const START_ORDER: readonly ServiceName[] = ['syslog', 'http', 'tftp', 'dhcp'];

/**
 * The profile sections each service reads when it starts. Every service also depends on the interface;
 * the file servers on the boot folder. The menu is not here: it is served live, nothing restarts for it.
 */
const SECTIONS: Record<ServiceName, { sections: string[]; bootRoot: boolean }> = {
  dhcp: { sections: ['dhcp'], bootRoot: true }, // the first-stage files it checks live in the boot folder
  tftp: { sections: ['tftp'], bootRoot: true },
  http: { sections: ['http', 'peerdist'], bootRoot: true },
  syslog: { sections: ['syslog'], bootRoot: false },
};

function settingsOf(name: ServiceName, profile: Profile, dataDir: string): string {
  const { sections, bootRoot } = SECTIONS[name];
  const p = profile as unknown as Record<string, unknown>;
  return JSON.stringify({
    interface: profile.interface,
    bootRoot: bootRoot ? bootRootOf(profile, dataDir) : undefined,
    ...Object.fromEntries(sections.map((s) => [s, p[s]])),
  });
}

function now(): string {
  return new Date().toISOString();
}
