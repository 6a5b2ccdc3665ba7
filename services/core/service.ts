import type { EventBus } from './bus.js';
import type { Logger } from './logger.js';
import type { Profile } from '../profile.js';
import type { ServiceName } from '../shared/events.js';
import type { ResolvedInterface } from '../net/interfaces.js';
import type { Runtime } from './runtime.js';
// Types only (what each service reports; defined in the areas' Node-free views).
import type { DhcpReport } from '../dhcp/views.js';
import type { TftpStats } from '../tftp/views.js';
import type { HttpReport } from '../http/views.js';
import type { SyslogStats } from '../stats/views.js';

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
  /** What the running service reports (typed per service in ServiceReports), read through the supervisor. */
  report?(): ServiceReports[ServiceName];
}

/** Each service's report: the API reads it with supervisor.report(name), never by reaching into a class. */
export interface ServiceReports {
  dhcp: DhcpReport;
  tftp: TftpStats;
  http: HttpReport;
  syslog: SyslogStats;
}

export type ServiceFactory = () => BootService;
