import type { EventBus } from './bus.js';
import type { LogEntry } from '../shared/events.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(source: string): Logger;
}

/** A logger that reports on the bus (the UI's Logs page) and, unless quiet, to stderr. */
export function createLogger(
  bus: EventBus,
  source = 'bootlab',
  options: { quiet?: boolean; debug?: boolean } = {},
): Logger {
  const write = (level: LogEntry['level'], message: string): void => {
    if (level === 'debug' && !options.debug) return;
    bus.emit('log', { time: new Date().toISOString(), level, source, message });
    if (!options.quiet) process.stderr.write(`[${source}] ${level}: ${message}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    child: (child) => createLogger(bus, `${source}.${child}`, options),
  };
}
