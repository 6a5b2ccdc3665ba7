import type { Lease, LeaseStore } from './leases.js';

/**
 * Address allocation for full mode (RFC 2131 §4.3.1): reservation, then the client's previous address,
 * then the address it asks for, then the next free one. A new address is checked (ARP/ping) before it is
 * offered; while a check runs the address is held, so concurrent clients never get the same one.
 *
 * An OFFER is not a lease (dnsmasq's approach): offers live in memory only, one per address, and when the
 * pool runs short the oldest un-requested offer is reclaimed. A REQUEST for an address that is only
 * offered to another MAC takes it. So a flood of DISCOVERs from random MACs can never lock real machines
 * out of the pool; only REQUEST (a client that committed to the address) writes a lease to disk.
 * A check that found an address free is trusted for `checkCacheMs`, and at most `maxChecks` run at once,
 * so a flood cannot spawn one ping per frame.
 */

export const ipToInt = (ip: string): number => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** A pool inside the interface's subnet when none is configured: hosts .100–.199 of a /24, else the upper half. */
export function defaultPool(address: string, netmask: string): { start: string; end: string } {
  const mask = ipToInt(netmask);
  const net = (ipToInt(address) & mask) >>> 0;
  const bcast = (net | (~mask >>> 0)) >>> 0;
  const size = bcast - net - 1;
  if (size >= 254) return { start: intToIp(net + 100), end: intToIp(net + 199) };
  const start = net + 1 + Math.floor(size / 2);
  return { start: intToIp(start), end: intToIp(bcast - 1) };
}

export interface AllocatorOptions {
  pool: { start: string; end: string };
  /** MAC → reserved IP. */
  reservations: Map<string, string>;
  serverAddress: string;
  leaseMs: number;
  /** How long an offered address is held for the client's REQUEST (unless reclaimed when the pool runs short). */
  offerMs?: number;
  /** How long an address found free by `inUse` counts as free without a new check (default 60 s). */
  checkCacheMs?: number;
  /** Address checks running at once, at most (default 16); beyond that a DISCOVER waits for its retry. */
  maxChecks?: number;
  /** Resolves true when the address is in use by another machine. */
  inUse: (ip: string, mac: string) => Promise<boolean>;
}

export type RequestResult =
  { ok: true; lease: Lease } | { ok: false; reason: string } | { ok: 'ignore'; reason: string };

/** Why a DISCOVER got no address: every address is leased, parked or reserved; or every check slot is busy. */
export type OfferMiss = 'pool-full' | 'checks-busy';

interface Offer {
  mac: string;
  ip: string;
  expires: number;
}

export class Allocator {
  private readonly start: number;
  private readonly end: number;
  private cursor: number;
  private readonly pending = new Set<string>();
  private readonly reservedIps = new Map<string, string>();
  /** ip → offer, in the order offered (oldest first: Map keeps insertion order). */
  private readonly offers = new Map<string, Offer>();
  private readonly offerOf = new Map<string, Offer>();
  /** ip → when a check last found it free. */
  private readonly checkedFree = new Map<string, number>();
  /** Why the last offer() returned undefined. */
  lastMiss: OfferMiss = 'pool-full';

  constructor(
    private readonly store: LeaseStore,
    private readonly opts: AllocatorOptions,
  ) {
    this.start = ipToInt(opts.pool.start);
    this.end = ipToInt(opts.pool.end);
    if (this.end < this.start)
      throw new RangeError(`pool end ${opts.pool.end} is before start ${opts.pool.start}`);
    this.cursor = this.start;
    for (const [mac, ip] of opts.reservations) this.reservedIps.set(ip, mac);
  }

  get size(): number {
    return this.end - this.start + 1;
  }

  inPool(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.start && n <= this.end;
  }

  /**
   * Free for `mac`: ours to give, nobody else holds it (expired leases count as free). Another MAC's
   * live offer blocks a DISCOVER (`offersBlock`) but not a REQUEST: an offer is not a lease.
   */
  private freeFor(ip: string, mac: string, now: number, offersBlock = true): boolean {
    if (ip === this.opts.serverAddress || this.pending.has(ip)) return false;
    const reservedFor = this.reservedIps.get(ip);
    if (reservedFor && reservedFor !== mac) return false;
    if (offersBlock) {
      const offered = this.offers.get(ip);
      if (offered && offered.mac !== mac && offered.expires >= now) return false;
    }
    const held = this.store.byAddress(ip);
    return !held || held.mac === mac || held.expires < now;
  }

  /** Offers currently held (memory only), for the DHCP page and tests. */
  get offeredCount(): number {
    return this.offers.size;
  }

  private forgetOffer(offer: Offer | undefined): void {
    if (!offer) return;
    if (this.offers.get(offer.ip) === offer) this.offers.delete(offer.ip);
    if (this.offerOf.get(offer.mac) === offer) this.offerOf.delete(offer.mac);
  }

  /** Holds `ip` for `mac` until its REQUEST (memory only; the newest offer moves to the end). */
  private holdOffer(mac: string, ip: string, now: number, details: Partial<Lease>): Lease {
    this.forgetOffer(this.offerOf.get(mac));
    this.forgetOffer(this.offers.get(ip));
    const offer: Offer = { mac, ip, expires: now + (this.opts.offerMs ?? 60_000) };
    this.offers.set(ip, offer);
    this.offerOf.set(mac, offer);
    const prev = this.store.byMacAddress(mac);
    // A bound client asking again keeps its lease (state and expiry) until it REQUESTs.
    if (prev?.state === 'bound' && prev.ip === ip && prev.expires >= now)
      return { ...prev, ...details, lastSeen: now };
    return { ...details, mac, ip, state: 'offered', expires: offer.expires, lastSeen: now };
  }

  private bind(mac: string, ip: string, now: number, details: Partial<Lease>): Lease {
    this.forgetOffer(this.offerOf.get(mac));
    this.forgetOffer(this.offers.get(ip));
    const lease: Lease = {
      ...details,
      mac,
      ip,
      state: 'bound',
      expires: now + this.opts.leaseMs,
      lastSeen: now,
    };
    this.store.save(lease);
    return lease;
  }

  /** The oldest offer that was never requested and whose address could go to `mac`: reclaimed for it. */
  private reclaimOldestOffer(mac: string, now: number, skip: Set<string>): string | undefined {
    for (const offer of this.offers.values()) {
      if (offer.mac === mac || skip.has(offer.ip)) continue;
      if (!this.freeFor(offer.ip, mac, now, false)) continue;
      this.forgetOffer(offer);
      return offer.ip;
    }
    return undefined;
  }

  /** Picks and holds an address for a DISCOVER; undefined when the pool is full. */
  async offer(
    mac: string,
    requested: string | undefined,
    now: number,
    details: Partial<Lease> = {},
  ): Promise<Lease | undefined> {
    const reserved = this.opts.reservations.get(mac);
    if (reserved) return this.holdOffer(mac, reserved, now, details);
    const prevOffer = this.offerOf.get(mac);
    if (prevOffer && this.freeFor(prevOffer.ip, mac, now))
      return this.holdOffer(mac, prevOffer.ip, now, details);
    const prev = this.store.byMacAddress(mac);
    if (prev && prev.state !== 'declined' && this.inPool(prev.ip) && this.freeFor(prev.ip, mac, now))
      return this.holdOffer(mac, prev.ip, now, details);
    const tried = new Set<string>();
    for (let attempt = 0; attempt < 8; attempt++) {
      let candidate: string | undefined;
      if (attempt === 0 && requested && this.inPool(requested) && this.freeFor(requested, mac, now))
        candidate = requested;
      candidate ??= this.nextFree(mac, now, tried) ?? this.reclaimOldestOffer(mac, now, tried);
      if (!candidate) {
        this.lastMiss = 'pool-full';
        return undefined;
      }
      tried.add(candidate);
      const checkedAt = this.checkedFree.get(candidate);
      if (checkedAt !== undefined && now - checkedAt <= (this.opts.checkCacheMs ?? 60_000))
        return this.holdOffer(mac, candidate, now, details);
      if (this.pending.size >= (this.opts.maxChecks ?? 16)) {
        // No check slot: an address already offered (so already checked) serves instead, oldest first.
        const known = this.reclaimOldestOffer(mac, now, tried);
        if (known) return this.holdOffer(mac, known, now, details);
        this.lastMiss = 'checks-busy';
        return undefined;
      }
      this.pending.add(candidate);
      let used: boolean;
      try {
        used = await this.opts.inUse(candidate, mac);
      } finally {
        this.pending.delete(candidate);
      }
      if (!used) {
        this.checkedFree.set(candidate, now);
        return this.holdOffer(mac, candidate, now, details);
      }
      this.checkedFree.delete(candidate);
      // Someone answers on it: park it as declined for 10 minutes (RFC 2131 §4.3.1 "SHOULD not offer").
      this.store.save({
        mac: `conflict:${candidate}`,
        ip: candidate,
        state: 'declined',
        expires: now + 600_000,
        lastSeen: now,
      });
    }
    this.lastMiss = 'pool-full';
    return undefined;
  }

  private nextFree(mac: string, now: number, skip: Set<string>): string | undefined {
    for (let i = 0; i < this.size; i++) {
      const n = this.cursor;
      this.cursor = n >= this.end ? this.start : n + 1;
      const ip = intToIp(n);
      if (!skip.has(ip) && this.freeFor(ip, mac, now)) return ip;
    }
    return undefined;
  }

  /** REQUEST (selecting, init-reboot, renewing, rebinding: RFC 2131 §4.3.2): bind, NAK, or stay silent. */
  request(
    mac: string,
    ip: string | undefined,
    serverIdMatches: boolean | undefined,
    now: number,
    details: Partial<Lease> = {},
  ): RequestResult {
    if (serverIdMatches === false) {
      // The client took another server's offer: free ours.
      this.forgetOffer(this.offerOf.get(mac));
      const prev = this.store.byMacAddress(mac);
      if (prev && prev.state === 'offered') this.store.release(mac);
      return { ok: 'ignore', reason: 'client chose another server' };
    }
    if (!ip) return { ok: false, reason: 'request names no address' };
    const reserved = this.opts.reservations.get(mac);
    if (reserved && reserved !== ip) return { ok: false, reason: `${mac} has reservation ${reserved}` };
    const mine = this.store.byMacAddress(mac);
    if ((mine && mine.ip === ip && mine.state !== 'declined') || reserved === ip)
      return { ok: true, lease: this.bind(mac, ip, now, details) };
    if (!this.inPool(ip)) return { ok: false, reason: `${ip} is not in the pool` };
    if (!this.freeFor(ip, mac, now, false))
      return { ok: false, reason: `${ip} is leased to another machine` };
    return { ok: true, lease: this.bind(mac, ip, now, details) };
  }

  /** DECLINE (RFC 2131 §4.3.3): the client found the address in use. */
  decline(mac: string, ip: string, now: number): void {
    this.forgetOffer(this.offerOf.get(mac));
    this.checkedFree.delete(ip);
    const mine = this.store.byMacAddress(mac);
    if (mine?.ip !== ip) return;
    this.store.release(mac);
    this.store.save({ mac: `conflict:${ip}`, ip, state: 'declined', expires: now + 600_000, lastSeen: now });
  }

  release(mac: string, ip: string, now: number): void {
    const mine = this.store.byMacAddress(mac);
    // Keep the row (so the client gets the same address next time) but expire it.
    if (mine?.ip === ip) this.store.save({ ...mine, state: 'offered', expires: now, lastSeen: now });
  }
}
