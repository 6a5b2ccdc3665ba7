import type { ApiClient } from '../../api/client';
import type { MenuRoutes } from '../../../../services/api/contract-menu';

type Options<K extends keyof MenuRoutes> = {
  body?: MenuRoutes[K]['body'];
  query?: Record<string, string | undefined>;
};

/**
 * Typed calls to the menu routes. The shared ApiClient is typed on ApiRoutes; until (and after) the lead
 * merges MenuRoutes into it, this keeps the menu editor type-checked against its own contract. A query
 * is appended to the key's path (URLSearchParams encodes ":" so the client's ":param" filling is safe).
 */
export function menuRequest<K extends keyof MenuRoutes>(
  api: ApiClient,
  key: K,
  options: Options<K> = {},
): Promise<MenuRoutes[K]['response']> {
  const request = api.request as unknown as (
    key: string,
    options: { body?: unknown },
  ) => Promise<MenuRoutes[K]['response']>;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return request.call(api, s ? `${key}?${s}` : key, options.body === undefined ? {} : { body: options.body });
}
