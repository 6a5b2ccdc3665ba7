/**
 * One timeline per machine: joins every service's events into a session keyed by MAC (DHCP gives MAC↔IP;
 * TFTP, HTTP and syslog join by IP through runtime.macFor; the boot script's query and check-ins give
 * make, model, serial). Stage order: dhcp → first-stage → ipxe → script → menu → kernel → handed-over, or
 * failed with the reason. Sessions are kept in SQLite (session-store.ts); only recently active ones stay in
 * memory (at most `hotLimit`), so 10,000 stored machines cost what a few hundred do.
 *
 * Updates are coalesced: a session changed many times within `pushIntervalMs` goes out on the bus once.
 */
import { cleanText, TEXT_LIMITS } from '../core/clean-text.js';
import type { EventBus } from '../core/bus.js';
import type { Runtime } from '../core/runtime.js';
import type {
  ClientSession,
  ClientStage,
  PeerdistEvent,
  SessionFile,
  SyslogLineEvent,
  TimelineEntry,
} from '../shared/events.js';
import { clientHost } from './client-host.js';
import { interpretIpxeLine, ipxeErrorLink, nameOfUrl } from './ipxe-console.js';
import { SessionIndex } from './session-index.js';
import type { SessionStore } from './session-store.js';

const STAGE_ORDER: ClientStage[] = ['dhcp', 'first-stage', 'ipxe', 'script', 'menu', 'kernel', 'handed-over'];
const SCRIPT_PATH = /\.ipxe$|\.cfg$|^\/?boot\.ipxe|^\/?first-stage\.ipxe|\/pxelinux\.cfg\//;

export interface SessionsOptions {
  store?: SessionStore | null;
  now?: () => Date;
  hotLimit?: number;
  pushIntervalMs?: number;
}

/** DHCP option 93 client architecture → firmware words (RFC 4578 2.1, iPXE dhcp.h). */
function firmwareOfArch(arch: number): string {
  if (arch === 0) return 'bios';
  if (arch === 0x0b || arch === 0x0a) return 'efi-arm';
  if (arch === 0x10 || arch === 0x13) return 'efi-http';
  return 'efi';
}

export class ClientSessions {
  private readonly index: SessionIndex;
  private readonly changedKeys = new Set<string>();
  private readonly store: SessionStore | null;
  private readonly now: () => Date;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  /** Peer figures per (client, path) of the PeerDist downloads in progress. */
  private readonly peerDownloads = new Map<string, { blocks: number; cache: number; origin: number }>();
  pushed = 0;

  constructor(
    private readonly bus: EventBus,
    runtime: Runtime,
    opts: SessionsOptions = {},
  ) {
    this.store = opts.store ?? null;
    this.now = opts.now ?? (() => new Date());
    this.index = new SessionIndex(runtime, this.store, opts.hotLimit ?? 1000, this.now);
    const push = setInterval(() => this.pushChanged(), opts.pushIntervalMs ?? 250);
    push.unref();
    this.timers.push(push);
    if (this.store) {
      const flush = setInterval(() => this.store?.flush(), 500);
      flush.unref();
      this.timers.push(flush);
    }
    bus.on('dhcp.offer', (e) => this.fromDhcp(e.mac, e.ip, e.isIpxe, e.arch, e.hostname, e.messageType));
    bus.on('dhcp.ack', (e) => this.fromDhcp(e.mac, e.ip, e.isIpxe, e.arch, e.hostname, e.messageType));
    bus.on('tftp.transfer', (e) => {
      if (e.sizeProbe) return;
      const s = this.index.byIp(clientHost(e.client));
      // TFTP carries more than first stages: GRUB (Secure Boot machines) reads grub/grub.cfg (the script
      // stage) and then its kernel and initrd over TFTP (the kernel stage). Refused names move nothing on.
      const afterScript = STAGE_ORDER.indexOf(s.stage) >= STAGE_ORDER.indexOf('script');
      if (!e.refused)
        this.advance(s, SCRIPT_PATH.test(e.file) ? 'script' : afterScript ? 'kernel' : 'first-stage');
      s.download = this.downloadOf(e.file, e.bytesSent, e.size, e.bytesPerSecond, e.phase === 'end', 'tftp');
      if (e.phase === 'start') this.note(s, 'tftp', `TFTP ${e.file} started`, e.file);
      if (e.phase === 'end') {
        const ok = e.result === 'ok';
        this.finishFile(s, {
          time: this.iso(),
          name: e.file,
          protocol: 'tftp',
          ...(e.size !== undefined ? { size: e.size } : {}),
          bytes: e.bytesSent,
          durationMs: e.durationMs,
          result: ok ? 'ok' : e.result === 'aborted' ? 'aborted' : 'failed',
          ...(ok
            ? {}
            : { error: cleanText(e.error ?? e.refused ?? e.result ?? 'failed', TEXT_LIMITS.error) }),
        });
      }
      this.changed(s);
    });
    bus.on('http.download', (e) => {
      if (e.method === 'HEAD') return; // iPXE probing a size downloads nothing
      const s = e.mac ? this.index.byMac(e.mac, clientHost(e.client)) : this.index.byIp(clientHost(e.client));
      const isScript = SCRIPT_PATH.test(e.path);
      this.advance(s, isScript ? 'script' : 'kernel');
      s.download = this.downloadOf(e.path, e.bytesSent, e.total, e.bytesPerSecond, e.phase === 'end', 'http');
      // A 206 is one block iPXE's PeerDist fetched from the origin (MissingDataRequest): 46 of them for a
      // 3 MB file. Count the bytes, keep them out of the files list and the timeline (the PeerDist figures
      // and the download's own records say it).
      const blockRange = e.status === 206;
      if (e.phase === 'start' && !blockRange)
        this.note(s, 'http', `HTTP ${e.status} ${e.path}${e.range ? ` (${e.range})` : ''}`, e.path);
      if (e.phase === 'end' && blockRange) s.bytesTotal += e.bytesSent;
      if (e.phase === 'end' && !blockRange) {
        const failed = e.status >= 400;
        this.finishFile(s, {
          time: this.iso(),
          name: e.path,
          protocol: 'http',
          ...(e.total !== undefined ? { size: e.total } : {}),
          bytes: e.bytesSent,
          durationMs: e.durationMs,
          result: failed ? 'failed' : e.result === 'aborted' ? 'aborted' : 'ok',
          ...(failed
            ? { error: `HTTP ${e.status}` }
            : e.result === 'aborted'
              ? { error: 'download aborted' }
              : {}),
          // For a PeerDist download this response is the Content Information; the blocks come later, so
          // the download's share from peers goes on iPXE's "URL... ok" record (syslogFile).
        });
        if (failed) this.fail(s, `The boot server answered HTTP ${e.status} for ${e.path}.`);
      }
      this.changed(s);
    });
    bus.on('http.checkin', (e) => {
      const s = e.mac ? this.index.byMac(e.mac, clientHost(e.client)) : this.index.byIp(clientHost(e.client));
      const d = e.details;
      if (d.manufacturer) s.make = cleanText(d.manufacturer, TEXT_LIMITS.field);
      if (d.product) s.model = cleanText(d.product, TEXT_LIMITS.field);
      if (d.serial) s.serial = cleanText(d.serial, TEXT_LIMITS.field);
      if (d.platform) s.firmware = cleanText(d.platform, 16);
      if (d.buildarch) s.buildarch = cleanText(d.buildarch, 16);
      if (d.hostname) s.hostname = cleanText(d.hostname, TEXT_LIMITS.hostname);
      if (e.entry) s.menuEntry = cleanText(e.entry, TEXT_LIMITS.label);
      const what = `${e.event}${e.entry ? ` ${e.entry}` : ''}`;
      s.lastMessage = `menu: ${what}`;
      this.note(s, 'checkin', `Check-in: ${what}`);
      if (e.event === 'failed' || /fail|error/i.test(e.event)) this.fail(s, `The menu reported: ${what}.`);
      else if (e.event === 'menu') this.advance(s, 'menu');
      else if (e.event === 'chosen') this.advance(s, 'menu');
      else if (e.event === 'booting') this.advance(s, 'handed-over');
      else if (e.event === 'script') this.advance(s, 'script');
      this.changed(s);
    });
    bus.on('syslog.line', (e) => this.fromSyslog(e));
    bus.on('peerdist.block', (e) => this.fromPeerdist(e));
  }

  /** Most recently seen first. */
  list(limit = 500, offset = 0): ClientSession[] {
    if (this.store) return this.store.list(limit, offset);
    return this.index
      .hotSessions()
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .slice(offset, offset + limit);
  }

  get(key: string): ClientSession | undefined {
    return this.index.get(key);
  }

  timeline(key: string): TimelineEntry[] {
    return this.store?.timeline(key) ?? [];
  }

  files(key: string): SessionFile[] {
    return this.store?.files(key) ?? [];
  }

  count(): number {
    return this.store ? this.store.count() : this.index.hotSessions().length;
  }

  /** Stops the timers and writes what is queued. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.pushChanged();
    this.store?.close();
  }

  private fromSyslog(e: SyslogLineEvent): void {
    const s = this.index.byIp(e.from);
    if (e.hostname && !s.hostname) s.hostname = cleanText(e.hostname.split('.')[0], TEXT_LIMITS.hostname);
    const text = e.text;
    s.lastMessage = cleanText(text, TEXT_LIMITS.message);
    this.note(
      s,
      'syslog',
      s.lastMessage,
      `<${e.facility * 8 + e.severity}>${e.hostname ? `${e.hostname} ` : ''}${e.tag ? `${e.tag}: ` : ''}${text}`,
    );
    const t = this.index.transientOf(s.key);
    for (const f of interpretIpxeLine(text)) {
      switch (f.kind) {
        case 'download-open':
          t.openUrl = f.url;
          this.advance(s, SCRIPT_PATH.test(new URL(f.url, 'http://x').pathname) ? 'script' : 'kernel');
          break;
        case 'download-end': {
          const url = f.url ?? t.openUrl;
          if (!f.url && !t.openUrl) {
            this.advance(s, 'ipxe'); // the tail of "Configuring (net0 …)… ok": iPXE has its address
            break;
          }
          t.openUrl = undefined;
          const name = f.name ?? nameOfUrl(url!);
          if (f.ok)
            this.advance(s, SCRIPT_PATH.test(new URL(url!, 'http://x').pathname) ? 'script' : 'kernel');
          this.syslogFile(s, e.from, url!, f.ok, f.error);
          if (!f.ok) this.fail(s, `iPXE could not download ${name}: ${f.error}`, f.errorCode);
          break;
        }
        case 'downloaded':
          this.advance(s, 'kernel');
          break;
        case 'download-failed':
          this.fail(s, `iPXE could not download ${f.name}: ${f.error}`);
          break;
        case 'executing':
          this.advance(s, 'handed-over');
          break;
        case 'execution-failed':
          this.fail(s, `iPXE could not run ${f.name}: ${f.error}`);
          break;
        case 'could-not':
          this.fail(s, `iPXE could not ${f.what} the image: ${f.error}`, f.errorCode);
          break;
        case 'peers':
          s.peerdist = { ...f.figures };
          break;
        case 'error':
          if (e.severity <= 3) this.fail(s, f.text, f.errorCode);
          break;
        case 'configured':
          this.advance(s, 'ipxe');
          break;
      }
    }
    if (e.severity <= 3 && s.stage !== 'failed') this.fail(s, cleanText(text, TEXT_LIMITS.error)); // RFC 5424 6.2.1
    this.changed(s);
  }

  private fromPeerdist(e: PeerdistEvent): void {
    const s = this.index.byIp(e.client);
    const k = `${e.client} ${e.path}`;
    let d = this.peerDownloads.get(k);
    if (!d || e.kind === 'info') {
      d = { blocks: e.blocks ?? 0, cache: 0, origin: 0 };
      this.peerDownloads.set(k, d);
      if (this.peerDownloads.size > 4096) this.peerDownloads.delete(this.peerDownloads.keys().next().value!);
    }
    const total = s.peerdistServer ?? {
      blocks: 0,
      fromCache: 0,
      fromOrigin: 0,
      peers: 0,
      percentFromPeers: 0,
    };
    if (e.kind === 'info') {
      total.blocks += e.blocks ?? 0;
      this.note(s, 'peerdist', `PeerDist: ${e.path} offered as ${e.blocks} blocks`);
    } else if (e.kind === 'cache-hit') {
      d.cache++;
      total.fromCache++;
      total.peers = 1;
    } else if (e.kind === 'origin-range') {
      d.origin++;
      total.fromOrigin++;
    }
    total.percentFromPeers = total.blocks > 0 ? Math.round((100 * total.fromCache) / total.blocks) : 0;
    s.peerdistServer = total;
    this.changed(s);
  }

  private syslogFile(s: ClientSession, from: string, url: string, ok: boolean, error?: string): void {
    let path = '';
    try {
      path = new URL(url).pathname;
    } catch {
      /* not a URL iPXE printed: no PeerDist figure */
    }
    const peer = this.peerDownloads.get(`${from} ${path}`);
    this.finishFile(
      s,
      {
        time: this.iso(),
        name: cleanText(url, TEXT_LIMITS.field),
        protocol: 'syslog',
        bytes: 0,
        result: ok ? 'ok' : 'failed',
        ...(error ? { error: cleanText(error, TEXT_LIMITS.error) } : {}),
        ...(peer && peer.blocks > 0
          ? { percentFromPeers: Math.round((100 * peer.cache) / peer.blocks) }
          : {}),
      },
      false,
    );
  }

  private fromDhcp(
    mac: string,
    ip: string | undefined,
    isIpxe: boolean,
    arch: number | undefined,
    hostname: string | undefined,
    messageType: string,
  ): void {
    const s = this.index.byMac(mac, ip);
    if (!isIpxe && s.stage !== 'dhcp' && s.stage !== 'first-stage') {
      // Firmware asking again: a new boot of this machine.
      s.stage = 'dhcp';
      s.error = undefined;
      s.errorLink = undefined;
      s.stageTimes = { dhcp: this.iso() };
      this.note(s, 'stage', 'New boot: the firmware asked for an address again');
    }
    if (isIpxe) this.advance(s, 'ipxe');
    if (arch !== undefined) {
      s.arch = arch;
      if (!s.firmware || !isIpxe) s.firmware = firmwareOfArch(arch);
    }
    if (hostname) s.hostname = cleanText(hostname, TEXT_LIMITS.hostname);
    this.note(s, 'dhcp', `DHCP ${messageType}${ip ? ` ${ip}` : ''} to ${isIpxe ? 'iPXE' : 'the firmware'}`);
    this.changed(s);
  }

  private downloadOf(
    name: string,
    bytes: number,
    total: number | undefined,
    rate: number,
    done: boolean,
    via: 'tftp' | 'http',
  ): NonNullable<ClientSession['download']> {
    const d: NonNullable<ClientSession['download']> = { name, bytes, bytesPerSecond: rate, done, via };
    if (total !== undefined) {
      d.total = total;
      if (!done && rate > 0) d.etaSeconds = Math.max(0, Math.round((total - bytes) / rate));
    }
    return d;
  }

  /** Moves forward only; a machine that failed and then makes progress (a retry) is no longer failed. */
  private advance(s: ClientSession, stage: ClientStage): void {
    // Every stage seen in this boot gets its first time, even out of order (an embedded script may
    // download a kernel before it loads the menu script).
    s.stageTimes ??= {};
    if (!s.stageTimes[stage]) {
      s.stageTimes[stage] = this.iso();
      if (s.stage !== 'failed' && STAGE_ORDER.indexOf(stage) <= STAGE_ORDER.indexOf(s.stage))
        this.note(s, 'stage', `Stage seen: ${stage}`);
    }
    const wasFailed = s.stage === 'failed';
    if (wasFailed || STAGE_ORDER.indexOf(stage) > STAGE_ORDER.indexOf(s.stage)) {
      if (wasFailed) {
        s.error = undefined;
        s.errorLink = undefined;
      }
      if (s.stage === stage) return;
      s.stage = stage;
      s.stageTimes ??= {};
      s.stageTimes[stage] ??= this.iso();
      this.note(s, 'stage', `Stage: ${stage}`);
    }
  }

  private finishFile(s: ClientSession, f: SessionFile, count = true): void {
    if (count) {
      s.downloads++;
      s.bytesTotal += f.bytes;
    }
    this.store?.addFile(s.key, f);
  }

  private fail(s: ClientSession, error: string, code?: string): void {
    s.stage = 'failed';
    s.error = cleanText(error, TEXT_LIMITS.error);
    if (code) s.errorLink = ipxeErrorLink(code);
    else s.errorLink = undefined;
    s.stageTimes ??= {};
    s.stageTimes.failed = this.iso();
    this.note(s, 'stage', `Failed: ${s.error}`);
  }

  private note(s: ClientSession, kind: TimelineEntry['kind'], text: string, raw?: string): void {
    this.store?.addTimeline(s.key, {
      time: this.iso(),
      kind,
      text: cleanText(text, TEXT_LIMITS.message),
      ...(raw !== undefined ? { raw: cleanText(raw, TEXT_LIMITS.message) } : {}),
    });
  }

  private changed(s: ClientSession): void {
    s.lastSeen = this.iso();
    this.store?.save(s);
    this.changedKeys.add(s.key);
  }

  private pushChanged(): void {
    for (const key of this.changedKeys) {
      const s = this.index.get(key);
      if (!s) continue;
      this.pushed++;
      this.bus.emit('client.session', { ...s });
    }
    this.changedKeys.clear();
  }

  private iso(): string {
    return this.now().toISOString();
  }
}
