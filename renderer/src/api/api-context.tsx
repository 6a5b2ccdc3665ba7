import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { BootlabEvent, BootlabEventType } from '../../../services/api/contract.js';
import { ApiClient } from './client';

type Listener = (events: BootlabEvent[]) => void;

export interface ApiContextValue {
  api: ApiClient;
  /** True while the live event WebSocket is open. */
  connected: boolean;
  /** Goes up by one each time the feed (re)connects: pages reload their snapshot then, as events may have been missed. */
  generation: number;
  /** Adds a listener for every batch of live events; returns the function that removes it. */
  listen(listener: Listener): () => void;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Opens one WebSocket for the whole app and hands each batch of events to every page that listens. */
export function ApiProvider({ token, children }: { token: string; children: ReactNode }) {
  const api = useMemo(() => new ApiClient(token), [token]);
  const [connected, setConnected] = useState(false);
  const [generation, setGeneration] = useState(0);
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    const close = api.subscribe(
      (events) => {
        for (const listener of listeners.current) listener(events);
      },
      (up) => {
        setConnected(up);
        if (up) setGeneration((g) => g + 1);
      },
    );
    return close;
  }, [api]);

  const listen = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo<ApiContextValue>(
    () => ({ api, connected, generation, listen }),
    [api, connected, generation, listen],
  );
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The API client, the connection state and the live event feed (for pages, including the menu editor). */
export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi() must be used inside <ApiProvider>');
  return value;
}

/**
 * Calls `onEvent` for each live event of the given types. The handler may change between renders; the
 * subscription stays the same.
 */
export function useLiveEvents<T extends BootlabEventType>(
  types: readonly T[],
  onEvent: (event: BootlabEvent<T>) => void,
): void {
  const { listen } = useApi();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set<string>(key.split(','));
    return listen((events) => {
      for (const event of events) {
        if (wanted.has(event.type)) handler.current(event as BootlabEvent<T>);
      }
    });
  }, [listen, key]);
}
