import type {
  ApiError,
  BootlabEvent,
  EventsMessage,
  RouteBody,
  RouteKey,
  RouteQuery,
  RouteResponse,
} from '../../../services/api/contract';

import {
  EVENTS_PATH,
  EVENTS_PROTOCOL,
  TOKEN_HEADER,
  TOKEN_PROTOCOL_PREFIX,
} from '../../../services/shared/api-protocol.js';

/** An API failure with the server's words: what happened (message) and what to do (hint). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    /** Invalid fields, each with a sentence to show beside its input (ApiError.error.fields). */
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export type FieldProblem = NonNullable<ApiError['error']['fields']>[number];

/**
 * The typed client for the control API. Route keys come from the contract ("GET /api/status"), so a
 * wrong path or body is a compile error. The token comes from the URL fragment the CLI printed.
 */
export class ApiClient {
  /** Called when the server refuses the token (rotated in Settings, or a stale bookmark). */
  static onUnauthorized: (() => void) | undefined;

  constructor(
    private readonly token: string,
    private readonly base: string = window.location.origin,
  ) {}

  async request<K extends RouteKey>(
    key: K,
    options: { params?: Record<string, string>; body?: RouteBody<K>; query?: RouteQuery<K> } = {},
  ): Promise<RouteResponse<K>> {
    const [method, pattern] = key.split(' ') as [string, string];
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`missing route parameter ${name} for ${key}`);
      return encodeURIComponent(value);
    });
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (typeof v === 'string' && v !== '') search.set(k, v);
    }
    const query = search.size > 0 ? `?${search.toString()}` : '';
    const res = await fetch(this.base + path + query, {
      method,
      headers: {
        [TOKEN_HEADER]: this.token,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const data: unknown = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = (data as Partial<ApiError>).error;
      if (res.status === 401) ApiClient.onUnauthorized?.();
      throw new ApiRequestError(
        res.status,
        err?.code ?? 'HTTP_' + res.status,
        err?.message ?? `The request failed (${res.status}).`,
        err?.hint ?? '',
        Array.isArray(err?.fields) ? err.fields : [],
      );
    }
    return data as RouteResponse<K>;
  }

  /** Opens the live event feed; reconnects after a drop. Returns a function that closes it. */
  subscribe(onEvents: (events: BootlabEvent[]) => void, onConnection?: (up: boolean) => void): () => void {
    let socket: WebSocket | undefined;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = (): void => {
      const url = new URL(EVENTS_PATH, this.base);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      // The token travels as a subprotocol offer, never in the URL (services/api/contract.ts EVENTS_PROTOCOL).
      socket = new WebSocket(url, [EVENTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX + this.token]);
      socket.onopen = () => onConnection?.(true);
      socket.onmessage = (msg) => {
        const parsed = JSON.parse(String(msg.data)) as EventsMessage;
        onEvents(parsed.events);
      };
      socket.onclose = () => {
        onConnection?.(false);
        if (!closed) retry = setTimeout(open, 1000);
      };
    };
    open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }
}

/** Reads the per-launch token from the URL fragment (#token=...) the CLI printed. */
export function tokenFromLocation(loc: Location = window.location): string {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  return params.get('token') ?? '';
}
