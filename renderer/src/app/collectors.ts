import type { EventStore } from '../api/event-store';
import { clientsStore } from '../features/clients/clients-store';
import { liveLogStore } from '../features/logs/log-store';

/** Stores that gather live events from app start (see App). */
export const COLLECTORS: readonly EventStore<unknown>[] = [
  clientsStore,
  liveLogStore,
] as EventStore<unknown>[];
