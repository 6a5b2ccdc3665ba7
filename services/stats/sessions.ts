import type { EventBus } from '../core/bus.js';
import type { Runtime } from '../core/runtime.js';
import type { ClientSession, ClientStage } from '../core/events.js';
import { interpretIpxeLine } from './ipxe-console.js';

const STAGE_ORDER: ClientStage[] = ['dhcp', 'first-stage', 'ipxe', 'script', 'kernel', 'booted'];

/**
 * Joins every service's events into one session per machine: MAC is the key, IP joins through the lease
 * (runtime.macFor), syslog lines join by source IP. Stages only move forward within a boot, except that a
 * fresh firmware DHCP request starts the machine's next boot.
 */
export class ClientSessions {
  private readonly sessions = new Map<string, ClientSession>();

  constructor(
    private readonly bus: EventBus,
    private readonly runtime: Runtime,
    private readonly now: () => Date = () => new Date(),
  ) {
    bus.on('dhcp.offer', (e) => this.fromDhcp(e.mac, e.ip, e.isIpxe, e.arch, e.hostname));
    bus.on('dhcp.ack', (e) => this.fromDhcp(e.mac, e.ip, e.isIpxe, e.arch, e.hostname));
    bus.on('tftp.transfer', (e) => {
      const s = this.byIp(hostOf(e.client));
      this.advance(s, 'first-stage');
      s.download = {
        name: e.file,
        bytes: e.bytesSent,
        total: e.size,
        bytesPerSecond: e.bytesPerSecond,
        done: e.phase === 'end',
        via: 'tftp',
      };
      if (e.phase === 'end')
        this.finishDownload(s, e.bytesSent, e.result === 'ok' ? undefined : (e.error ?? e.result));
      this.changed(s);
    });
    bus.on('http.download', (e) => {
      if (e.method === 'HEAD') return; // iPXE probing a size downloads nothing
      const s = e.mac ? this.byMac(e.mac, hostOf(e.client)) : this.byIp(hostOf(e.client));
      const isScript = /\.ipxe$|\.cfg$|\/boot\.ipxe/.test(e.path);
      this.advance(s, isScript ? 'script' : 'kernel');
      s.download = {
        name: e.path,
        bytes: e.bytesSent,
        total: e.total,
        bytesPerSecond: e.bytesPerSecond,
        done: e.phase === 'end',
        via: 'http',
      };
      if (e.status >= 400) this.fail(s, `HTTP ${e.status} for ${e.path}`);
      else if (e.phase === 'end')
        this.finishDownload(s, e.bytesSent, e.result === 'aborted' ? 'download aborted' : undefined);
      this.changed(s);
    });
    bus.on('http.checkin', (e) => {
      const s = e.mac ? this.byMac(e.mac, hostOf(e.client)) : this.byIp(hostOf(e.client));
      if (e.entry) s.menuEntry = e.entry;
      s.lastMessage = `menu: ${e.event}${e.entry ? ` ${e.entry}` : ''}`;
      if (/fail|error/i.test(e.event)) this.fail(s, `menu: ${e.event}${e.entry ? ` ${e.entry}` : ''}`);
      else if (e.event === 'booting') this.advance(s, 'kernel');
      this.changed(s);
    });
    bus.on('syslog.line', (e) => {
      const s = this.byIp(e.from);
      if (e.hostname) s.hostname ??= e.hostname.split('.')[0];
      const line = interpretIpxeLine(e.text);
      s.lastMessage = e.text.trim();
      if (line.kind === 'download' && !line.ok) this.fail(s, `${line.name}: ${line.error}`);
      else if (e.severity <= 3) this.fail(s, e.text.trim()); // 0-3: emergency..error (RFC 5424 6.2.1)
      if ('peerdist' in line && line.peerdist) s.peerdist = line.peerdist;
      if (line.kind === 'booting') this.advance(s, 'booted');
      this.changed(s);
    });
  }

  list(): ClientSession[] {
    return [...this.sessions.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  }

  private fromDhcp(
    mac: string,
    ip: string | undefined,
    isIpxe: boolean,
    arch: number | undefined,
    hostname: string | undefined,
  ): void {
    const s = this.byMac(mac, ip);
    if (!isIpxe && s.stage !== 'dhcp' && s.stage !== 'first-stage') {
      // Firmware asking again: a new boot of this machine.
      s.stage = 'dhcp';
      s.error = undefined;
    }
    if (isIpxe) this.advance(s, 'ipxe');
    if (arch !== undefined) s.arch = arch;
    if (hostname) s.hostname = hostname;
    this.changed(s);
  }

  private byMac(mac: string, ip?: string): ClientSession {
    const key = mac.toLowerCase();
    let s = this.sessions.get(key);
    if (!s) {
      // A session first seen by IP (TFTP or syslog before the lease was known) merges into the MAC's.
      const byIp = ip ? this.sessions.get(`ip:${ip}`) : undefined;
      if (byIp) this.sessions.delete(byIp.key);
      s = byIp ? { ...byIp, key, mac: key } : this.create(key, key, ip ?? null);
      this.sessions.set(key, s);
    }
    if (ip) {
      s.ip = ip;
      this.runtime.rememberClient(ip, key);
    }
    return s;
  }

  private byIp(ip: string): ClientSession {
    const mac = this.runtime.macFor(ip);
    if (mac) return this.byMac(mac, ip);
    const key = `ip:${ip}`;
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = this.create(key, null, ip)));
    return s;
  }

  private create(key: string, mac: string | null, ip: string | null): ClientSession {
    const t = this.now().toISOString();
    return { key, mac, ip, stage: 'dhcp', firstSeen: t, lastSeen: t, downloads: 0, bytesTotal: 0 };
  }

  /** Moves forward only; a machine that failed and then makes progress (a retry) is no longer failed. */
  private advance(s: ClientSession, stage: ClientStage): void {
    if (s.stage === 'failed') s.error = undefined;
    if (s.stage === 'failed' || STAGE_ORDER.indexOf(stage) > STAGE_ORDER.indexOf(s.stage)) s.stage = stage;
  }

  private finishDownload(s: ClientSession, bytes: number, error: string | undefined): void {
    s.downloads++;
    s.bytesTotal += bytes;
    if (error) this.fail(s, error);
  }

  private fail(s: ClientSession, error: string): void {
    s.stage = 'failed';
    s.error = error;
  }

  private changed(s: ClientSession): void {
    s.lastSeen = this.now().toISOString();
    this.bus.emit('client.session', { ...s });
  }
}

/** "10.0.0.5:1234" → "10.0.0.5" (TFTP reports the client's address with its port). */
function hostOf(client: string): string {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::\d+)?$/.exec(client);
  return m ? m[1]! : client;
}
