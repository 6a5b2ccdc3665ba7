import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * DHCP leases in SQLite (better-sqlite3, WAL). Every change is one transaction, so a kill -9 leaves either
 * the old or the new row, never both; `ip` is UNIQUE, so two MACs can never hold the same address, not even
 * after a crash. synchronous=NORMAL in WAL mode survives a process crash (an OS crash may lose the last
 * commits, which clients re-request anyway). An in-memory index mirrors the table for fast allocation.
 */

export type LeaseState = 'offered' | 'bound' | 'declined';

export interface Lease {
  mac: string;
  ip: string;
  state: LeaseState;
  /** Epoch milliseconds. */
  expires: number;
  hostname?: string;
  arch?: number;
  /** e.g. "firmware PXE", "iPXE" */
  stage?: string;
  vendorClass?: string;
  lastSeen: number;
}

interface Row {
  mac: string;
  ip: string;
  state: LeaseState;
  expires: number;
  hostname: string | null;
  arch: number | null;
  stage: string | null;
  vendor_class: string | null;
  last_seen: number;
}

const toLease = (r: Row): Lease => ({
  mac: r.mac,
  ip: r.ip,
  state: r.state,
  expires: r.expires,
  hostname: r.hostname ?? undefined,
  arch: r.arch ?? undefined,
  stage: r.stage ?? undefined,
  vendorClass: r.vendor_class ?? undefined,
  lastSeen: r.last_seen,
});

export class LeaseStore {
  private readonly db: Database.Database;
  private readonly byMac = new Map<string, Lease>();
  private readonly byIp = new Map<string, Lease>();
  private readonly upsert: Database.Statement;
  private readonly deleteIpOther: Database.Statement;
  private readonly deleteMac: Database.Statement;
  private readonly deleteExpired: Database.Statement;
  private readonly write: (lease: Lease) => void;

  /** `file` is a path (e.g. <dataDir>/leases.db) or ':memory:' for unit tests. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS leases (
      mac TEXT PRIMARY KEY,
      ip TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL,
      expires INTEGER NOT NULL,
      hostname TEXT, arch INTEGER, stage TEXT, vendor_class TEXT,
      last_seen INTEGER NOT NULL
    )`);
    this.upsert = this.db
      .prepare(`INSERT INTO leases (mac, ip, state, expires, hostname, arch, stage, vendor_class, last_seen)
      VALUES (@mac, @ip, @state, @expires, @hostname, @arch, @stage, @vendor_class, @last_seen)
      ON CONFLICT(mac) DO UPDATE SET ip=excluded.ip, state=excluded.state, expires=excluded.expires,
        hostname=excluded.hostname, arch=excluded.arch, stage=excluded.stage, vendor_class=excluded.vendor_class,
        last_seen=excluded.last_seen`);
    this.deleteIpOther = this.db.prepare('DELETE FROM leases WHERE ip = ? AND mac <> ?');
    this.deleteMac = this.db.prepare('DELETE FROM leases WHERE mac = ?');
    this.deleteExpired = this.db.prepare('DELETE FROM leases WHERE expires < ?');
    this.write = this.db.transaction((l: Lease) => {
      // Reclaiming an expired address of another MAC and writing ours is one atomic step.
      this.deleteIpOther.run(l.ip, l.mac);
      this.upsert.run({
        mac: l.mac,
        ip: l.ip,
        state: l.state,
        expires: l.expires,
        hostname: l.hostname ?? null,
        arch: l.arch ?? null,
        stage: l.stage ?? null,
        vendor_class: l.vendorClass ?? null,
        last_seen: l.lastSeen,
      });
    });
    for (const row of this.db.prepare('SELECT * FROM leases').all() as Row[]) this.index(toLease(row));
  }

  private index(l: Lease): void {
    const old = this.byMac.get(l.mac);
    if (old && this.byIp.get(old.ip) === old) this.byIp.delete(old.ip);
    const other = this.byIp.get(l.ip);
    if (other && other.mac !== l.mac) this.byMac.delete(other.mac);
    this.byMac.set(l.mac, l);
    this.byIp.set(l.ip, l);
  }

  byMacAddress(mac: string): Lease | undefined {
    return this.byMac.get(mac);
  }

  byAddress(ip: string): Lease | undefined {
    return this.byIp.get(ip);
  }

  /** Writes (or moves) a lease; another MAC's row for the same IP is removed in the same transaction. */
  save(lease: Lease): void {
    this.write(lease);
    this.index(lease);
  }

  release(mac: string): void {
    const l = this.byMac.get(mac);
    if (!l) return;
    this.deleteMac.run(mac);
    this.byMac.delete(mac);
    if (this.byIp.get(l.ip) === l) this.byIp.delete(l.ip);
  }

  /** Deletes leases expired before `now` (the allocator also reuses expired addresses directly). */
  reclaimExpired(now: number): number {
    const n = this.deleteExpired.run(now).changes;
    for (const l of [...this.byMac.values()]) {
      if (l.expires < now) {
        this.byMac.delete(l.mac);
        if (this.byIp.get(l.ip) === l) this.byIp.delete(l.ip);
      }
    }
    return n;
  }

  list(): Lease[] {
    return [...this.byMac.values()].sort((a, b) => b.lastSeen - a.lastSeen);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
