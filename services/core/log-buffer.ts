import type { EventBus } from './bus.js';
import type { LogEntry } from '../shared/events.js';

/** Keeps the newest log entries in memory for the Logs page (the live feed carries the rest). */
export class LogBuffer {
  private readonly entries: LogEntry[] = [];

  constructor(
    bus: EventBus,
    private readonly capacity = 1000,
  ) {
    bus.on('log', (entry) => {
      this.entries.push(entry);
      if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    });
  }

  recent(): LogEntry[] {
    return [...this.entries];
  }
}
