import type { EventBus } from './bus.js';
import type { Logger } from './logger.js';
import type { Profile } from '../profile.js';
import type { ServiceName } from '../shared/events.js';
import type { ResolvedInterface } from '../net/interfaces.js';
import type { Runtime } from './runtime.js';

/**
 * What a boot service is given when it starts. A snapshot: when a saved change touches the settings a running
 * service uses, the supervisor restarts it (services/core/supervisor.ts, settingsOf).
 */
export interface ServiceContext {
  profile: Profile;
  bus: EventBus;
  log: Logger;
  /** The interface and IPv4 address the boot services listen on. */
  network: ResolvedInterface;
  /** Absolute path of the boot root (TFTP and HTTP serve from here). */
  bootRoot: string;
  dataDir: string;
  /** Live facts shared between services (actual ports, lease lookups, virtual files). */
  runtime: Runtime;
}

export interface StartResult {
  /** e.g. ["udp 0.0.0.0:67", "udp 10.77.0.1:4011"] */
  listening: string[];
  /** One sentence shown beside the state, e.g. "proxy mode: 10.77.0.254 already hands out addresses". */
  summary?: string;
}

/**
 * One boot service (DHCP, TFTP, HTTP, syslog). start() resolves when its sockets are bound and throws a
 * BootlabError (what happened + what to do) when it cannot. stop() releases every socket and timer.
 */
export interface BootService {
  readonly name: ServiceName;
  start(ctx: ServiceContext): Promise<StartResult>;
  stop(): Promise<void>;
}

export type ServiceFactory = () => BootService;
