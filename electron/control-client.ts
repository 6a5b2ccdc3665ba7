/**
 * The main process's client of the control API: the same routes and live event feed the UI uses (one
 * source of truth; the tray and the notifications never read service state any other way). The token goes
 * in the x-bootlab-token header on HTTP and as a WebSocket subprotocol offer, as in
 * services/api/contract.ts (TOKEN_HEADER, EVENTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX; a unit test checks these
 * copies agree — electron/ does not import the services' contract at run time).
 */
export const TOKEN_HEADER = 'x-bootlab-token';
export const EVENTS_PATH = '/api/events';
export const EVENTS_PROTOCOL = 'bootlab.events.v1';
export const TOKEN_PROTOCOL_PREFIX = 'bootlab.token.';

/** The fields of a service state the desktop reads (services/shared/events.ts ServiceState). */
export interface ServiceStateLite {
  service: string;
  state: 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';
  summary?: string;
  error?: { message: string; hint?: string };
}

/** One live event as the API sends it ({ events: [...] } batches). */
export interface LiveEvent {
  type: string;
  time?: string;
  payload: unknown;
}

export interface HttpResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string> },
) => Promise<HttpResponseLike>;

/** The subset of a WebSocket (the `ws` package's client) used here. */
export interface SocketLike {
  on(event: 'message', fn: (data: unknown) => void): unknown;
  on(event: 'close' | 'error' | 'open', fn: (...args: unknown[]) => void): unknown;
  close(): void;
}

export type OpenSocket = (url: string, protocols: string[], headers: Record<string, string>) => SocketLike;

export class ControlClient {
  private socket: SocketLike | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly origin: string,
    private readonly token: string,
    private readonly fetch: FetchLike,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string): Promise<T> {
    const res = await this.fetch(`${this.origin}${path}`, {
      method,
      headers: { [TOKEN_HEADER]: this.token },
    });
    const body = (await res.json().catch(() => undefined)) as
      (T & { error?: { message?: string; hint?: string } }) | undefined;
    if (!res.ok) {
      const message = body?.error?.message ?? `The services answered ${res.status}.`;
      throw new Error(body?.error?.hint ? `${message} ${body.error.hint}` : message);
    }
    return body as T;
  }

  async services(): Promise<ServiceStateLite[]> {
    return (await this.request<{ services: ServiceStateLite[] }>('GET', '/api/services')).services;
  }

  async startAll(): Promise<void> {
    await this.request('POST', '/api/services/start-all');
  }

  async stopAll(): Promise<void> {
    await this.request('POST', '/api/services/stop-all');
  }

  /** The active profile's desktop settings (services/desktop/config.ts); defaults when absent. */
  async desktopSettings(): Promise<{ notifications: boolean }> {
    const { profile } = await this.request<{ profile: { desktop?: { notifications?: unknown } } }>(
      'GET',
      '/api/config',
    );
    return { notifications: profile.desktop?.notifications !== false };
  }

  /**
   * Follows the live event feed; reconnects after `retryMs` when it drops (the host restarting), calling
   * `onConnect` each time so the caller can re-read the state it may have missed.
   */
  follow(
    open: OpenSocket,
    onEvents: (events: LiveEvent[]) => void,
    onConnect: () => void = () => {},
    retryMs = 2000,
  ): void {
    if (this.closed) return;
    const url = `${this.origin.replace(/^http/, 'ws')}${EVENTS_PATH}`;
    let socket: SocketLike;
    try {
      socket = open(url, [EVENTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX + this.token], {
        [TOKEN_HEADER]: this.token,
      });
    } catch {
      this.scheduleRetry(open, onEvents, onConnect, retryMs);
      return;
    }
    this.socket = socket;
    socket.on('open', () => onConnect());
    socket.on('message', (data) => {
      const batch = parseBatch(data);
      if (batch.length > 0) onEvents(batch);
    });
    socket.on('error', () => {}); // 'close' follows
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.scheduleRetry(open, onEvents, onConnect, retryMs);
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close();
    this.socket = undefined;
  }

  private scheduleRetry(
    open: OpenSocket,
    onEvents: (events: LiveEvent[]) => void,
    onConnect: () => void,
    retryMs: number,
  ): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.follow(open, onEvents, onConnect, retryMs);
    }, retryMs);
    this.retry.unref?.();
  }
}

/** `{ events: [...] }` from a message; anything else (malformed, wrong shape) gives no events. */
export function parseBatch(data: unknown): LiveEvent[] {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof Uint8Array) text = Buffer.from(data).toString('utf8');
  else if (Array.isArray(data)) text = Buffer.concat(data as Uint8Array[]).toString('utf8');
  else return [];
  try {
    const parsed = JSON.parse(text) as { events?: unknown };
    if (!Array.isArray(parsed.events)) return [];
    return parsed.events.filter(
      (e): e is LiveEvent => typeof e === 'object' && e !== null && typeof (e as LiveEvent).type === 'string',
    );
  } catch {
    return [];
  }
}
