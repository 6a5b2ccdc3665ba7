import { useEffect, useSyncExternalStore } from 'react';
import type { BootlabEvent } from '../../../services/api/contract.js';
import { useApi } from './api-context';

/**
 * A small store that folds live events into a value from the moment the app opens, so a page shows what
 * happened while another page was on screen. Pages read it with `useEventStore(store)`.
 */
export interface EventStore<T> {
  get(): T;
  apply(events: BootlabEvent[]): void;
  reset(): void;
  subscribe(onChange: () => void): () => void;
}

export function createEventStore<T>(initial: T, reduce: (state: T, event: BootlabEvent) => T): EventStore<T> {
  let state = initial;
  const subscribers = new Set<() => void>();
  const notify = () => {
    for (const fn of subscribers) fn();
  };
  return {
    get: () => state,
    apply(events) {
      const before = state;
      for (const event of events) state = reduce(state, event);
      if (state !== before) notify();
    },
    reset() {
      state = initial;
      notify();
    },
    subscribe(onChange) {
      subscribers.add(onChange);
      return () => {
        subscribers.delete(onChange);
      };
    },
  };
}

/** Feeds the live events into the stores for as long as the component that calls it is mounted. */
export function useCollect(stores: readonly EventStore<unknown>[]): void {
  const { listen } = useApi();
  useEffect(
    () =>
      listen((events) => {
        for (const store of stores) store.apply(events);
      }),
    [listen, stores],
  );
}

export function useEventStore<T>(store: EventStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
