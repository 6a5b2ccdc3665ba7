/**
 * Every event a service reports on the bus, by type. Pure types (no Node imports): the renderer reads
 * them through the API contract. Add a new event here, then emit it with `bus.emit('type', payload)`.
 */
export type ServiceName = 'dhcp' | 'tftp' | 'http' | 'syslog';
export const SERVICE_NAMES: readonly ServiceName[] = ['dhcp', 'tftp', 'http', 'syslog'];

export type ServiceStateName = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface ErrorInfo {
  code: string;
  message: string;
  hint: string;
}

export interface ServiceState {
  service: ServiceName;
  state: ServiceStateName;
  /** Where it listens, when running: e.g. "0.0.0.0:67, 10.77.0.1:4011". */
  listening?: string[];
  /** One short sentence about what it is doing (e.g. "proxy mode: another DHCP server answered"). */
  summary?: string;
  error?: ErrorInfo;
  since: string;
}

export interface NetInterface {
  name: string;
  mac: string | null;
  up: boolean;
  ipv4: { address: string; netmask: string; cidr: string }[];
  internal: boolean;
}

export interface LogEntry {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  source: string;
  message: string;
}

export interface DhcpEvent {
  mac: string;
  ip?: string;
  xid: number;
  messageType: string;
  arch?: number;
  isIpxe: boolean;
  mode: 'full' | 'proxy';
  bootFile?: string;
  vendorClass?: string;
  hostname?: string;
}

export interface TftpTransferEvent {
  id: string;
  phase: 'start' | 'progress' | 'end';
  client: string;
  file: string;
  size?: number;
  blksize: number;
  windowsize: number;
  bytesSent: number;
  retransmits: number;
  durationMs: number;
  bytesPerSecond: number;
  result?: 'ok' | 'error' | 'aborted' | 'timeout';
  error?: string;
}

export interface HttpDownloadEvent {
  id: string;
  phase: 'start' | 'progress' | 'end';
  client: string;
  mac?: string;
  path: string;
  status: number;
  bytesSent: number;
  total?: number;
  durationMs: number;
  bytesPerSecond: number;
  result?: 'completed' | 'aborted';
}

export interface CheckinEvent {
  client: string;
  mac?: string;
  event: string;
  entry?: string;
  details: Record<string, string>;
}

export interface SyslogLineEvent {
  from: string;
  severity: number;
  facility: number;
  hostname?: string;
  tag?: string;
  text: string;
}

export interface BuildOutputEvent {
  buildId: string;
  data: string;
}

export interface LabConsoleEvent {
  vmId: string;
  data: string;
}

export interface BootlabEventMap {
  'service.state': ServiceState;
  'net.interfaces': { interfaces: NetInterface[] };
  log: LogEntry;
  'dhcp.offer': DhcpEvent;
  'dhcp.ack': DhcpEvent;
  'dhcp.drop': { from: string; reason: string };
  'tftp.transfer': TftpTransferEvent;
  'http.download': HttpDownloadEvent;
  'http.checkin': CheckinEvent;
  'syslog.line': SyslogLineEvent;
  'build.output': BuildOutputEvent;
  'lab.console': LabConsoleEvent;
}

export type BootlabEventType = keyof BootlabEventMap;

export interface BootlabEvent<T extends BootlabEventType = BootlabEventType> {
  type: T;
  time: string;
  payload: BootlabEventMap[T];
}
