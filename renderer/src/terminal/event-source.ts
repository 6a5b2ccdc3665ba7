import type { BootlabEvent, BootlabEventType } from '../../../services/api/contract.js';
import type { ApiContextValue } from '../api/api-context';
import type { TerminalSource } from './terminal-view';

/**
 * A TerminalSource fed by live events: `pick` returns the text to show for an event (or undefined to skip
 * it), e.g. `eventSource(listen, 'build.output', (p) => (p.buildId === id ? p.data : undefined))`.
 * Memoise the result (useMemo) so the terminal does not resubscribe on every render.
 */
export function eventSource<T extends BootlabEventType>(
  listen: ApiContextValue['listen'],
  type: T,
  pick: (payload: BootlabEvent<T>['payload']) => string | undefined,
): TerminalSource {
  return (write) =>
    listen((events) => {
      for (const event of events) {
        if (event.type !== type) continue;
        const text = pick((event as BootlabEvent<T>).payload);
        if (text !== undefined) write(text);
      }
    });
}
