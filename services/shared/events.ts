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
  /** make's output since the last event (batched, at most ~30 events a second); '' on a state event. */
  data: string;
  /** Set when the build's state or progress changed (services/builder): the Builder page refreshes. */
  state?: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress?: { done: number; total: number } | null;
  elapsedMs?: number;
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

/** A machine's boot, in order (services/stats/sessions.ts); "failed" carries the reason in `error`. */
export type ClientStage =
  'dhcp' | 'first-stage' | 'ipxe' | 'script' | 'menu' | 'kernel' | 'handed-over' | 'failed';

export interface ClientSession {
  /** MAC when known (DHCP), else "ip:<address>" until the lease joins it. */
  key: string;
  mac: string | null;
  ip: string | null;
  hostname?: string;
  arch?: number;
  /** "bios", "efi", "linux" (iPXE ${platform}) or the DHCP architecture's firmware. */
  firmware?: string;
  /** iPXE ${buildarch} (x86_64, i386, arm64). */
  buildarch?: string;
  make?: string;
  model?: string;
  serial?: string;
  stage: ClientStage;
  /** When each stage was first reached in the current boot (ISO times). */
  stageTimes?: Partial<Record<ClientStage, string>>;
  firstSeen: string;
  lastSeen: string;
  /** The download in progress or the last one. */
  download?: {
    name: string;
    bytes: number;
    total?: number;
    bytesPerSecond: number;
    /** Seconds left at the current rate, when the total is known. */
    etaSeconds?: number;
    done: boolean;
    via: 'tftp' | 'http';
  };
  downloads: number;
  bytesTotal: number;
  lastMessage?: string;
  error?: string;
  /** https://ipxe.org/<code> when iPXE reported an error code. */
  errorLink?: string;
  /** As iPXE reported it over syslog (progress tail or PEERMUX debug lines). */
  peerdist?: PeerdistFigures;
  /** Counted by Bootlab: blocks its hosted cache served vs ranges fetched from the origin. */
  peerdistServer?: PeerdistServerFigures;
  menuEntry?: string;
}

export interface PeerdistServerFigures {
  /** Blocks in the Content Information of the downloads so far. */
  blocks: number;
  /** Blocks the hosted cache served (encrypted MSG_BLK with data). */
  fromCache: number;
  /** Ranges fetched from the origin with MissingDataRequest=true. */
  fromOrigin: number;
  /** Peers the machine used (1 when the hosted cache served it anything). */
  peers: number;
  percentFromPeers: number;
}

/** PeerDist on the server side (services/peerdist): what one client got from where. */
export interface PeerdistEvent {
  client: string;
  /** The file's URL path at the origin. */
  path: string;
  /** info: Content Information sent (blocks = its block count); cache-hit / cache-miss: a GETBLKS answered
   * with / without data; origin-range: a MissingDataRequest range served by the origin. */
  kind: 'info' | 'cache-hit' | 'cache-miss' | 'origin-range';
  blocks?: number;
}

export interface TimelineEntry {
  time: string;
  kind: 'stage' | 'dhcp' | 'tftp' | 'http' | 'syslog' | 'checkin' | 'peerdist';
  text: string;
  /** The raw line behind it (syslog text, request path). */
  raw?: string;
}

export interface SessionFile {
  time: string;
  name: string;
  protocol: 'tftp' | 'http' | 'syslog';
  size?: number;
  bytes: number;
  durationMs?: number;
  result: 'ok' | 'failed' | 'aborted';
  error?: string;
  /** PeerDist: share of this file's blocks that came from the hosted cache (server side). */
  percentFromPeers?: number;
}

/** A boot-library download, bytes to verification (services/library/views.ts uses it as DownloadView). */
export interface LibraryDownloadEvent {
  id: string;
  catalogId?: string;
  name: string;
  fileName: string;
  state: 'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed';
  bytes: number;
  total: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  url: string;
  verification?: string;
  error?: string;
  bootPath?: string;
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
  'peerdist.block': PeerdistEvent;
  /** The boot library's ISO list changed (the UI reloads GET /api/library). */
  'library.changed': { isos: number };
  /** A catalog download's progress or state (services/library/download-manager.ts), rate-limited. */
  'library.download': LibraryDownloadEvent;
}

export type BootlabEventType = keyof BootlabEventMap;

export interface BootlabEvent<T extends BootlabEventType = BootlabEventType> {
  type: T;
  time: string;
  payload: BootlabEventMap[T];
}
