import type { z } from 'zod';
import { BootlabError } from '../shared/errors.js';
import { describeFieldProblems, fieldProblemsFromZod } from '../core/field-problems.js';
import type { ParsedBody, ParsedQuery, RouteSchemas, RouteSpecs } from './route-schemas.js';
import { routeSchemas, type ApiRoutes, type RouteSchemas as ApiRouteSchemas } from './contract.js';

/** What a handler receives: path parameters, the parsed query and the parsed body (typed by the schemas). */
export interface RequestContext<Body, Query = Record<string, never>> {
  params: Record<string, string>;
  query: Query;
  body: Body;
}

type AnyHandler = (ctx: RequestContext<unknown, unknown>) => unknown;

interface Entry {
  key: string;
  method: string;
  segments: string[];
  schemas: RouteSchemas;
  handler: AnyHandler;
}

/** The handler for route K: typed from the route's declared response and its schemas' output. */
export type RouteHandler<Routes extends RouteSpecs<Routes>, Table, K extends keyof Routes> = (
  ctx: RequestContext<ParsedBody<Table, K>, ParsedQuery<Table, K>>,
) => Routes[K]['response'] | Promise<Routes[K]['response']>;

/**
 * Matches "METHOD /api/path/:param" keys from a contract route table to handlers. The schema table comes
 * from the contract (services/api/contract.ts `routeSchemas`, assembled from each contract-<area>.ts):
 * bodies and queries are validated with it before the handler runs, and the handler gets the parsed
 * values. A route without a body schema refuses a body. Literal segments win over parameters, so
 * "/api/services/start-all" beats "/api/services/:name/:action".
 */
export class Router<Routes extends RouteSpecs<Routes>, Table = Partial<Record<keyof Routes, RouteSchemas>>> {
  private readonly entries: Entry[] = [];

  constructor(private readonly schemas: Table = {} as Table) {}

  add<K extends keyof Routes & string>(key: K, handler: RouteHandler<Routes, Table, K>): void {
    const [method, path] = key.split(' ') as [string, string];
    const schemas = ((this.schemas as Record<string, RouteSchemas | undefined>)[key] ?? {}) as RouteSchemas;
    this.entries.push({
      key,
      method,
      segments: path.split('/').filter(Boolean),
      schemas,
      handler: handler as unknown as AnyHandler,
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

  /** Validates the query and the body, then runs the handler. Throws BootlabError('BAD_REQUEST'). */
  async run(
    entry: Entry,
    params: Record<string, string>,
    query: URLSearchParams,
    rawBody: unknown,
  ): Promise<unknown> {
    const parsedQuery = entry.schemas.query
      ? parseOrRefuse(entry.schemas.query, queryObject(query), 'query')
      : {};
    let body: unknown = undefined;
    if (entry.schemas.body) {
      body = parseOrRefuse(entry.schemas.body, rawBody, 'body');
    } else if (rawBody !== undefined) {
      throw new BootlabError('BAD_REQUEST', 'This request takes no body.', 'Send it without a body.');
    }
    return entry.handler({ params, query: parsedQuery, body });
  }
}

/** The router every area registers on: all routes of the contract, validated with its schema table. */
export type ApiRouter = Router<ApiRoutes, ApiRouteSchemas>;

export function createApiRouter(): ApiRouter {
  return new Router<ApiRoutes, ApiRouteSchemas>(routeSchemas);
}

/** The query as an object of strings (the first value of a repeated parameter). */
function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in out)) out[k] = v;
  return out;
}

function parseOrRefuse(schema: z.ZodType, value: unknown, part: 'body' | 'query'): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // In a technician's words, every field at once; the paths travel in `fields` only (the UI marks them).
  const fields = fieldProblemsFromZod(parsed.error).map((f) => ({ ...f, field: f.field || part }));
  throw new BootlabError(
    'BAD_REQUEST',
    `Some values are not valid. ${describeFieldProblems(fields)}`,
    'Correct the marked values and try again.',
    {},
    fields,
  );
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
