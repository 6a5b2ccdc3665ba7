/**
 * Statistics routes of the control API (merged into ApiRoutes and routeSchemas by contract.ts): the
 * dashboard summary and throughput, one machine's detail, the machine log, and the sessions export.
 * Node-free (the renderer imports it with `import type`).
 */
import { z } from 'zod';
import type { RouteSchemaTable } from './route-schemas.js';
import type {
  ClientDetail,
  ExportFile,
  MachineLogLine,
  StatsSummary,
  ThroughputSeries,
} from '../stats/views.js';

export type {
  ClientDetail,
  ExportFile,
  MachineLogLine,
  StatsSummary,
  ThroughputSeries,
} from '../stats/views.js';

/** A whole number in a query string, within [min, max], `fallback` when absent. */
const intQuery = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .optional()
    .transform((v) => (v === undefined ? fallback : Math.min(max, Math.max(min, Number(v)))));

export const clientsQuerySchema = z.object({ limit: intQuery(500, 1, 10000), offset: intQuery(0, 0, 1e9) });
export const throughputQuerySchema = z.object({ seconds: intQuery(300, 10, 600) });
export const machineLogQuerySchema = z.object({
  machine: z.string().max(64).optional(),
  limit: intQuery(1000, 1, 5000),
});
export const exportQuerySchema = z.object({ format: z.enum(['csv', 'json']).default('csv') });

export interface StatsRoutes {
  'GET /api/clients/page': {
    body: undefined;
    query?: { limit?: string; offset?: string };
    response: { clients: ClientDetail['session'][]; total: number };
  };
  'GET /api/clients/:key': { body: undefined; response: ClientDetail };
  'GET /api/stats/summary': { body: undefined; response: StatsSummary };
  'GET /api/stats/throughput': { body: undefined; query?: { seconds?: string }; response: ThroughputSeries };
  'GET /api/stats/machine-log': {
    body: undefined;
    query?: { machine?: string; limit?: string };
    response: { lines: MachineLogLine[] };
  };
  'GET /api/stats/export': { body: undefined; query?: { format?: string }; response: ExportFile };
}

export const statsRouteSchemas = {
  'GET /api/clients/page': { query: clientsQuerySchema },
  'GET /api/stats/throughput': { query: throughputQuerySchema },
  'GET /api/stats/machine-log': { query: machineLogQuerySchema },
  'GET /api/stats/export': { query: exportQuerySchema },
} satisfies RouteSchemaTable<StatsRoutes>;
