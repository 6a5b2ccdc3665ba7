import type { z } from 'zod';
import { BootlabError } from '../core/errors.js';

/** What a handler receives: path parameters, the query and the validated body. */
export interface RequestContext<Body> {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Body;
}

type AnyHandler = (ctx: RequestContext<unknown>) => unknown;

interface Entry {
  method: string;
  segments: string[];
  bodySchema?: z.ZodType;
  handler: AnyHandler;
}

/**
 * Matches "METHOD /api/path/:param" keys from a contract route table to handlers. Bodies are validated
 * with the route's zod schema before the handler runs; a route without a schema takes no body.
 * Literal segments win over parameters, so "/api/services/start-all" beats "/api/services/:name/:action".
 */
export class Router<Routes extends { [K in keyof Routes]: { body: unknown; response: unknown } }> {
  private readonly entries: Entry[] = [];

  add<K extends keyof Routes & string>(
    key: K,
    handler: (
      ctx: RequestContext<Routes[K]['body']>,
    ) => Routes[K]['response'] | Promise<Routes[K]['response']>,
    bodySchema?: z.ZodType,
  ): void {
    const [method, path] = key.split(' ') as [string, string];
    this.entries.push({
      method,
      segments: path.split('/').filter(Boolean),
      bodySchema,
      handler: handler as AnyHandler,
    });
    // Fewer parameters first: literal routes take precedence.
    this.entries.sort((a, b) => paramCount(a) - paramCount(b));
  }

  /** Finds the route; `methodMismatch` tells a 405 from a 404. */
  match(
    method: string,
    path: string,
  ): { entry: Entry; params: Record<string, string> } | { methodMismatch: boolean } {
    const parts = path.split('/').filter(Boolean);
    let methodMismatch = false;
    for (const entry of this.entries) {
      const params = matchSegments(entry.segments, parts);
      if (!params) continue;
      if (entry.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { entry, params };
    }
    return { methodMismatch };
  }

  /** Validates the body and runs the handler. Throws BootlabError('BAD_REQUEST') on a bad body. */
  async run(
    entry: Entry,
    params: Record<string, string>,
    query: URLSearchParams,
    rawBody: unknown,
  ): Promise<unknown> {
    let body: unknown = undefined;
    if (entry.bodySchema) {
      const parsed = entry.bodySchema.safeParse(rawBody);
      if (!parsed.success) {
        const what = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        throw new BootlabError(
          'BAD_REQUEST',
          `The request body is not valid: ${what}.`,
          'Correct the request and send it again.',
        );
      }
      body = parsed.data;
    } else if (rawBody !== undefined) {
      throw new BootlabError('BAD_REQUEST', 'This request takes no body.', 'Send it without a body.');
    }
    return entry.handler({ params, query, body });
  }
}

function paramCount(e: Entry): number {
  return e.segments.filter((s) => s.startsWith(':')).length;
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) return undefined;
  }
  return params;
}
