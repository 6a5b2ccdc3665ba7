/**
 * The shape every API area's contract follows (Node-free: zod types only, so the renderer can import it).
 *
 * An area declares its routes once, in services/api/contract-<area>.ts:
 *   - an interface `<Area>Routes`: per "METHOD /path" key, what the client sends (`body`, optional `query`)
 *     and what it gets back (`response`);
 *   - a table `<area>RouteSchemas` (`satisfies RouteSchemaTable<<Area>Routes>`): the zod schemas for the
 *     routes that take a body or a query. The router reads this table, validates before the handler runs,
 *     and hands the handler the parsed values (typed from the schemas' output), so no handler parses again.
 * A route missing from the table takes no body (one is refused) and gets an empty query object.
 */
import type { z } from 'zod';

/** One route's wire types: what the client sends and what it gets back. */
export interface RouteSpec {
  body: unknown;
  /** Query parameters as the client sends them (strings); left out when the route reads none. */
  query?: Record<string, string | undefined>;
  response: unknown;
}

export type RouteSpecs<Routes> = { [K in keyof Routes]: RouteSpec };

/**
 * Schemas of one route. The body schema's input is the declared body; the query schema is a z.object of
 * optional strings (it may coerce and default; unknown parameters such as a token are dropped).
 */
export interface RouteSchemas<Spec extends RouteSpec = RouteSpec> {
  body?: z.ZodType<unknown, z.ZodTypeDef, Spec['body']>;
  query?: z.ZodType<unknown, z.ZodTypeDef, Spec['query']>;
}

/** An area's schema table: only routes that take a body or read a query appear. */
export type RouteSchemaTable<Routes extends RouteSpecs<Routes>> = {
  [K in keyof Routes]?: RouteSchemas<Routes[K]>;
};

type SchemaOf<Table, K, Part extends 'body' | 'query'> = K extends keyof Table
  ? Table[K] extends { [P in Part]: z.ZodTypeAny }
    ? Table[K][Part]
    : undefined
  : undefined;

/** The body a handler receives: the schema's output, or undefined for a route without one. */
export type ParsedBody<Table, K> =
  SchemaOf<Table, K, 'body'> extends z.ZodTypeAny ? z.output<SchemaOf<Table, K, 'body'>> : undefined;

/** The query a handler receives: the schema's output, or an empty object for a route without one. */
export type ParsedQuery<Table, K> =
  SchemaOf<Table, K, 'query'> extends z.ZodTypeAny
    ? z.output<SchemaOf<Table, K, 'query'>>
    : Record<string, never>;

/** The query a client may send for a route (undefined when the route declares none). */
export type QueryOf<Spec> = Spec extends { query?: infer Q }
  ? unknown extends Q
    ? undefined
    : Q
  : undefined;
