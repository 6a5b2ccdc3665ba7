/**
 * What machines reported, for the Logs page: syslog lines, downloads and DHCP, each tagged with the
 * machine's session key so the page can filter by machine. A bounded ring (newest `capacity` lines);
 * the full per-machine history is in the session timeline (SQLite).
 */
import { clientHost } from './client-host.js';
import { cleanText, TEXT_LIMITS } from '../core/clean-text.js';
import type { EventBus } from '../core/bus.js';
import type { Runtime } from '../core/runtime.js';
import type { MachineLogLine } from './views.js';

export class MachineLog {
  private readonly ring: MachineLogLine[] = [];
  private readonly offs: (() => void)[] = [];

  constructor(
    bus: EventBus,
    private readonly runtime: Runtime,
    private readonly capacity = 5000,
  ) {
    const key = (ip: string) => {
      const host = clientHost(ip);
      return this.runtime.macFor(host) ?? `ip:${host}`;
    };
    this.offs.push(
      bus.on('syslog.line', (e) =>
        this.add(key(e.from), 'syslog', `${e.hostname ? `${e.hostname}: ` : ''}${e.text}`),
      ),
      bus.on('dhcp.ack', (e) =>
        this.add(e.mac.toLowerCase(), 'dhcp', `DHCP ACK ${e.ip ?? ''} ${e.isIpxe ? '(iPXE)' : '(firmware)'}`),
      ),
      bus.on('http.download', (e) => {
        if (e.phase === 'end')
          this.add(
            e.mac ?? key(e.client),
            'http',
            `${e.method ?? 'GET'} ${e.path} → ${e.status}, ${e.bytesSent} bytes${e.result === 'aborted' ? ' (aborted)' : ''}`,
          );
      }),
      bus.on('tftp.transfer', (e) => {
        if (e.phase === 'end')
          this.add(key(e.client), 'tftp', `TFTP ${e.file}: ${e.result ?? 'ended'}, ${e.bytesSent} bytes`);
      }),
      bus.on('http.checkin', (e) =>
        this.add(e.mac ?? key(e.client), 'checkin', `check-in ${e.event}${e.entry ? ` ${e.entry}` : ''}`),
      ),
    );
  }

  private add(machine: string, source: MachineLogLine['source'], text: string): void {
    this.ring.push({
      time: new Date().toISOString(),
      machine,
      source,
      text: cleanText(text, TEXT_LIMITS.message),
    });
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  /** Newest last; `machine` filters by session key (a MAC also matches lines logged under its IP). */
  lines(machine?: string, limit = 1000): MachineLogLine[] {
    const out = machine ? this.ring.filter((l) => l.machine === machine) : this.ring;
    return out.slice(-limit);
  }

  close(): void {
    for (const off of this.offs) off();
  }
}
