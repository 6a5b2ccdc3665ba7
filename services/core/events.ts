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
  /** TFTP: 'octet' or 'netascii'. */
  mode?: string;
  /** TFTP: served from a virtual file (menu script) rather than the boot root. */
  virtual?: boolean;
  /** TFTP: why a request was refused before any data (traversal, not-found, busy, write, mode, …). */
  refused?: string;
  /** TFTP: the client asked tsize and then ended after the OACK (OVMF's size probe). */
  sizeProbe?: boolean;
}

export interface HttpDownloadEvent {
  id: string;
  phase: 'start' | 'progress' | 'end';
  client: string;
  mac?: string;
  path: string;
  /** GET or HEAD (anything else is answered 405 and not reported). */
  method?: string;
  status: number;
  bytesSent: number;
  /** Body length of this response (Content-Length; for a range request, the range's length). */
  total?: number;
  /** Content-Range of a single-range (206) response, e.g. "bytes 0-1023/4096". */
  range?: string;
  durationMs: number;
  bytesPerSecond: number;
  result?: 'completed' | 'aborted';
  userAgent?: string;
}

export interface CheckinEvent {
  client: string;
  mac?: string;
  /** "menu" (menu shown), "chosen" (entry picked), "booting" (about to boot the entry), or another word. */
  event: string;
  entry?: string;
  /** Other query parameters the script sent (e.g. platform, buildarch), cleaned and length-limited. */
  details: Record<string, string>;
}

export interface SyslogLineEvent {
  from: string;
  severity: number;
  facility: number;
  hostname?: string;
  tag?: string;
  text: string;
  /** How it arrived (services/syslog). */
  transport?: 'udp' | 'tcp' | 'tls';
  /** ISO time the line arrived. */
  time?: string;
  format?: 'ipxe' | 'rfc5424' | 'rfc3164' | 'bare';
  structuredData?: Record<string, Record<string, string>>;
  /** Messages joined into this line (iPXE splits lines at 127 characters). */
  parts?: number;
}

export interface BuildOutputEvent {
  buildId: string;
  data: string;
}

export interface LabConsoleEvent {
  vmId: string;
  data: string;
  /** Set on the last event of a VM (data is then a one-line summary): the VM has exited. */
  state?: 'exited';
  exitCode?: number | null;
  /** Boot stage end times in ms since VM start (services/lab/boot-timeline.ts), on the exit event. */
  stages?: { stage: string; atMs: number }[];
}

export interface PeerdistFigures {
  /** Share of blocks that came from peers, 0 to 100. */
  percentFromPeers: number;
  peers: number;
}

export type ClientStage = 'dhcp' | 'first-stage' | 'ipxe' | 'script' | 'kernel' | 'booted' | 'failed';

export interface ClientSession {
  /** MAC when known (DHCP), else "ip:<address>" until the lease joins it. */
  key: string;
  mac: string | null;
  ip: string | null;
  hostname?: string;
  arch?: number;
  stage: ClientStage;
  firstSeen: string;
  lastSeen: string;
  /** The download in progress or the last one. */
  download?: {
    name: string;
    bytes: number;
    total?: number;
    bytesPerSecond: number;
    done: boolean;
    via: 'tftp' | 'http';
  };
  downloads: number;
  bytesTotal: number;
  lastMessage?: string;
  error?: string;
  peerdist?: PeerdistFigures;
  menuEntry?: string;
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
  'client.session': ClientSession;
}

export type BootlabEventType = keyof BootlabEventMap;

export interface BootlabEvent<T extends BootlabEventType = BootlabEventType> {
  type: T;
  time: string;
  payload: BootlabEventMap[T];
}
