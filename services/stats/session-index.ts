import type { Runtime } from '../core/runtime.js';
import type { ClientSession } from '../shared/events.js';
import type { SessionStore } from './session-store.js';

/** What a session needs between two syslog lines and is not worth storing. */
export interface Transient {
  /** The URL iPXE printed without a result yet (its " ok" comes in the next line). */
  openUrl?: string;
  openSince?: number;
}

/**
 * Finds the session of a machine by MAC or by IP, and keeps the recently active ones in memory (at most
 * `hotLimit`, least recently used written back and dropped), so 10,000 stored machines cost what a few
 * hundred do. A machine seen by IP before DHCP told its MAC (TFTP or syslog first) gets an `ip:<address>`
 * session, merged into the MAC's session when the MAC becomes known.
 */
export class SessionIndex {
  private readonly hot = new Map<string, ClientSession>();
  private readonly transient = new Map<string, Transient>();

  constructor(
    private readonly runtime: Runtime,
    private readonly store: SessionStore | null,
    private readonly hotLimit: number,
    private readonly now: () => Date,
  ) {}

  get(key: string): ClientSession | undefined {
    return this.hot.get(key) ?? this.store?.get(key);
  }

  /** Sessions in memory (without a store: all of them). */
  hotSessions(): ClientSession[] {
    return [...this.hot.values()];
  }

  byMac(mac: string, ip?: string): ClientSession {
    const key = mac.toLowerCase();
    let s = this.load(key);
    if (!s) {
      // A session first seen by IP (TFTP or syslog before the lease was known) merges into the MAC's.
      const byIp = ip ? this.load(`ip:${ip}`) : undefined;
      if (byIp) {
        this.hot.delete(byIp.key);
        this.store?.rename(byIp.key, key);
        const t = this.transient.get(byIp.key);
        if (t) this.transient.set(key, t);
        this.transient.delete(byIp.key);
      }
      s = byIp ? { ...byIp, key, mac: key } : this.create(key, key, ip ?? null);
      this.keepHot(s);
    }
    if (ip) {
      s.ip = ip;
      this.runtime.rememberClient(ip, key);
    }
    return s;
  }

  byIp(ip: string): ClientSession {
    const mac = this.runtime.macFor(ip);
    if (mac) return this.byMac(mac, ip);
    const key = `ip:${ip}`;
    let s = this.load(key);
    if (!s) {
      s = this.create(key, null, ip);
      this.keepHot(s);
    }
    return s;
  }

  transientOf(key: string): Transient {
    let t = this.transient.get(key);
    if (!t) this.transient.set(key, (t = {}));
    return t;
  }

  private load(key: string): ClientSession | undefined {
    const hot = this.hot.get(key);
    if (hot) {
      this.hot.delete(key);
      this.hot.set(key, hot); // most recently used last
      return hot;
    }
    const stored = this.store?.get(key);
    if (stored) this.keepHot(stored);
    return stored;
  }

  private keepHot(s: ClientSession): void {
    this.hot.set(s.key, s);
    while (this.hot.size > this.hotLimit) {
      const [oldest, session] = this.hot.entries().next().value as [string, ClientSession];
      this.store?.save(session);
      this.hot.delete(oldest);
      this.transient.delete(oldest);
      if (!this.store) break; // without a store the map is all there is: keep it (tests)
    }
  }

  private create(key: string, mac: string | null, ip: string | null): ClientSession {
    const t = this.now().toISOString();
    return {
      key,
      mac,
      ip,
      stage: 'dhcp',
      stageTimes: { dhcp: t },
      firstSeen: t,
      lastSeen: t,
      downloads: 0,
      bytesTotal: 0,
    };
  }
}
