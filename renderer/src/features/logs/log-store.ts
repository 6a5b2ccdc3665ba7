import type { BootlabEvent, LogEntry } from '../../../../services/api/contract.js';
import { createEventStore } from '../../api/event-store';
import { MAX_LINES, syslogToEntry } from './log-model.js';

/** Log lines that came live since the app opened: Bootlab's own (`log`) and the clients' (`syslog.line`). */
export const liveLogStore = createEventStore<readonly LogEntry[]>([], (lines, event) => {
  let entry: LogEntry | undefined;
  if (event.type === 'log') entry = (event as BootlabEvent<'log'>).payload;
  else if (event.type === 'syslog.line') entry = syslogToEntry(event as BootlabEvent<'syslog.line'>);
  if (!entry) return lines;
  return lines.length >= MAX_LINES ? [...lines.slice(-MAX_LINES + 1), entry] : [...lines, entry];
});
