/**
 * Bytes/s per second over the last `seconds`, total and per machine, from the servers' own progress
 * reports (TFTP and HTTP `bytesSent` deltas per transfer id): iPXE does not report progress over syslog
 * (docs/ipxe-notes.md §2), so the server side is where live rates come from. Bounded: one ring of
 * `seconds` buckets, at most `maxMachines` machines tracked (the least recently active dropped), at most
 * `maxTransfers` open transfers.
 */
import { clientHost } from './client-host.js';
import type { EventBus } from '../core/bus.js';
import type { Runtime } from '../core/runtime.js';
import type { ThroughputSeries } from './views.js';

export class ThroughputMeter {
  private readonly total: Float64Array;
  private readonly machines = new Map<string, Float64Array>();
  private readonly sentById = new Map<string, number>();
  private headSecond: number;
  bytesServed = 0;
  private readonly offs: (() => void)[] = [];

  constructor(
    bus: EventBus,
    private readonly runtime: Runtime,
    private readonly seconds = 600,
    private readonly maxMachines = 256,
    private readonly maxTransfers = 4096,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.total = new Float64Array(seconds);
    this.headSecond = Math.floor(nowMs() / 1000);
    this.offs.push(
      bus.on('http.download', (e) => this.add(`h${e.id}`, e.client, e.bytesSent, e.phase === 'end')),
    );
    this.offs.push(
      bus.on('tftp.transfer', (e) => this.add(`t${e.id}`, e.client, e.bytesSent, e.phase === 'end')),
    );
  }

  close(): void {
    for (const off of this.offs) off();
  }

  private add(id: string, client: string, sent: number, end: boolean): void {
    const before = this.sentById.get(id) ?? 0;
    const delta = Math.max(0, sent - before);
    if (end) this.sentById.delete(id);
    else {
      this.sentById.set(id, sent);
      if (this.sentById.size > this.maxTransfers) this.sentById.delete(this.sentById.keys().next().value!);
    }
    if (delta === 0) return;
    this.bytesServed += delta;
    this.advance();
    const slot = this.headSecond % this.seconds;
    this.total[slot]! += delta;
    const ip = clientHost(client);
    const key = this.runtime.macFor(ip) ?? `ip:${ip}`;
    let ring = this.machines.get(key);
    if (ring) this.machines.delete(key);
    else {
      ring = new Float64Array(this.seconds);
      if (this.machines.size >= this.maxMachines) this.machines.delete(this.machines.keys().next().value!);
    }
    this.machines.set(key, ring);
    ring[slot]! += delta;
  }

  /** Moves the ring to the current second, zeroing the seconds that passed. */
  private advance(): void {
    const now = Math.floor(this.nowMs() / 1000);
    const steps = Math.min(this.seconds, now - this.headSecond);
    for (let i = 1; i <= steps; i++) {
      const slot = (this.headSecond + i) % this.seconds;
      this.total[slot] = 0;
      for (const ring of this.machines.values()) ring[slot] = 0;
    }
    if (now > this.headSecond) this.headSecond = now;
  }

  /** Average bytes/s over the last `window` complete seconds plus the current one. */
  rate(window = 5): number {
    this.advance();
    let sum = 0;
    for (let i = 0; i < window; i++) sum += this.total[(this.headSecond - i + this.seconds) % this.seconds]!;
    return Math.round(sum / window);
  }

  series(lastSeconds = 300, topMachines = 8): ThroughputSeries {
    this.advance();
    const n = Math.min(lastSeconds, this.seconds);
    const times: number[] = [];
    const slots: number[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const sec = this.headSecond - i;
      times.push(sec);
      slots.push((sec + this.seconds) % this.seconds);
    }
    const pick = (ring: Float64Array) => slots.map((s) => ring[s]!);
    const machines = [...this.machines.entries()]
      .map(([key, ring]) => ({ key, values: pick(ring) }))
      .map((m) => ({ ...m, sum: m.values.reduce((a, b) => a + b, 0) }))
      .filter((m) => m.sum > 0)
      .sort((a, b) => b.sum - a.sum)
      .slice(0, topMachines)
      .map(({ key, values }) => ({ key, values }));
    return { times, total: pick(this.total), machines };
  }
}
