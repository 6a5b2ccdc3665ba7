import type { BootlabEvent } from '../shared/events.js';

/**
 * Batches live events for the UI and coalesces them per subject: within one flush interval (100 ms, so at
 * most ~10 updates a second per subject) only the newest state of a subject survives. Events that are
 * records rather than states (log lines, syslog lines, DHCP offers, a transfer's start and end) are never
 * dropped; they are only batched.
 */
export function subjectOf(event: BootlabEvent): string | null {
  const p = event.payload as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'service.state':
      return `service.state:${String(p.service)}`;
    case 'net.interfaces':
      return 'net.interfaces';
    case 'client.session':
      return `client.session:${String(p.key)}`;
    case 'peerdist.block':
      // One per block served: the session carries the figures, so keep only the newest per download.
      return `peerdist.block:${String(p.client)} ${String(p.path)}`;
    case 'tftp.transfer':
    case 'http.download':
      return p.phase === 'progress' ? `${event.type}:${String(p.id)}` : null;
    case 'library.download':
      // Progress is a state: the newest per download wins; a final state is never replaced by an older one.
      return `library.download:${String(p.id)}`;
    case 'library.changed':
      return 'library.changed';
    case 'build.output':
    case 'lab.console':
      return null; // terminal output: every byte matters
    default:
      return null;
  }
}

export class EventCoalescer {
  private pending: BootlabEvent[] = [];
  private readonly indexBySubject = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (events: BootlabEvent[]) => void,
    private readonly intervalMs = 100,
    private readonly maxBatch = 5000,
  ) {}

  push(event: BootlabEvent): void {
    const subject = subjectOf(event);
    const at = subject === null ? undefined : this.indexBySubject.get(subject);
    if (at !== undefined) this.pending[at] = event;
    else {
      if (subject !== null) this.indexBySubject.set(subject, this.pending.length);
      this.pending.push(event);
    }
    if (this.pending.length >= this.maxBatch) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.intervalMs);
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.indexBySubject.clear();
    this.flush(batch);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
