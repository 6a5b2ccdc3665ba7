/**
 * The control API contract: every route, its body, query and response, and the live events, declared once.
 * The router (services/api/router.ts) validates bodies and queries with `routeSchemas` below and hands
 * handlers the parsed values; the renderer imports this module with `import type` only, so nothing here
 * may touch Node (no fs, no net).
 *
 * Route keys are "METHOD /path" with ":param" segments. To add an area (route-schemas.ts says more):
 *   1. services/<area>/views.ts (Node-free): the types the UI may see;
 *   2. services/api/contract-<area>.ts: `<Area>Routes` (body/query/response per key) and
 *      `<area>RouteSchemas = {...} satisfies RouteSchemaTable<<Area>Routes>`; merge both below;
 *   3. services/api/routes/<area>.ts: `register<Area>Routes(router: ApiRouter, deps)`, called in host.ts.
 */
import { z } from 'zod';
import type {
  BootlabEvent,
  ClientSession,
  LogEntry,
  NetInterface,
  ServiceName,
  ServiceState,
} from '../shared/events.js';
import type { Profile } from '../profile.js';
import type { MenuRoutes } from './contract-menu.js';
import type { DhcpRoutes } from './contract-dhcp.js';
import type { LabRoutes } from './contract-lab.js';
import type { AccessRoutes } from './contract-access.js';
import { statsRouteSchemas, type StatsRoutes } from './contract-stats.js';
import { menuRouteSchemas } from './contract-menu.js';
import { labRouteSchemas } from './contract-lab.js';
import { libraryRouteSchemas, type LibraryRoutes } from './contract-library.js';
import { builderRouteSchemas, type BuilderRoutes } from './contract-builder.js';
import type { QueryOf, RouteSchemaTable } from './route-schemas.js';

export type {
  BootlabEvent,
  ClientSession,
  ClientStage,
  BootlabEventType,
  LogEntry,
  NetInterface,
  ServiceName,
  ServiceState,
} from '../shared/events.js';
export type { Profile } from '../profile.js';
export type * from './contract-menu.js';
export type * from './contract-dhcp.js';
export type * from './contract-stats.js';
export type * from './contract-lab.js';
export type * from './contract-access.js';
export type * from './contract-library.js';
export type * from './contract-builder.js';
export type { RouteSpec, RouteSchemaTable, QueryOf } from './route-schemas.js';

export const serviceActionSchema = z.enum(['start', 'stop', 'restart']);
export type ServiceAction = z.infer<typeof serviceActionSchema>;

/** PUT /api/config: a partial profile, deep-merged into the active one, then validated as a whole. */
export const configPatchSchema = z.record(z.string(), z.unknown());
export type ConfigPatch = z.infer<typeof configPatchSchema>;

export interface RuntimeInfo {
  serverAddress: string;
  httpBase: string | null;
  tftpPort: number | null;
  syslogPort: number | null;
}

export interface StatusResponse {
  version: string;
  dataDir: string;
  configPath: string;
  profileName: string;
  services: ServiceState[];
  interfaces: NetInterface[];
  runtime: RuntimeInfo;
}

export interface ApiError {
  error: {
    code: string;
    message: string;
    hint: string;
    details?: Record<string, unknown>;
    /** Invalid fields, each to be shown beside its own input (see FieldProblem in shared/errors.ts). */
    fields?: { field: string; message: string; hint?: string }[];
  };
}

/** Every route: the core ones below plus each area's (declared in contract-<area>.ts). */
export interface ApiRoutes
  extends CoreRoutes,
    MenuRoutes,
    DhcpRoutes,
    LabRoutes,
    StatsRoutes,
    LibraryRoutes,
    AccessRoutes,
    BuilderRoutes {}

/** Status, interfaces, config and service control (the Dashboard and Settings pages). */
export interface CoreRoutes {
  'GET /api/status': { body: undefined; response: StatusResponse };
  'GET /api/interfaces': { body: undefined; response: { interfaces: NetInterface[] } };
  'GET /api/config': { body: undefined; response: { profile: Profile } };
  /** `restarted`: the running services whose settings changed, restarted so the new settings take effect. */
  'PUT /api/config': { body: ConfigPatch; response: { profile: Profile; restarted: ServiceName[] } };
  'GET /api/services': { body: undefined; response: { services: ServiceState[] } };
  'POST /api/services/:name/:action': { body: undefined; response: { state: ServiceState } };
  'POST /api/services/start-all': { body: undefined; response: { services: ServiceState[] } };
  'POST /api/services/stop-all': { body: undefined; response: { services: ServiceState[] } };
  'GET /api/logs': { body: undefined; response: { entries: LogEntry[] } };
  'GET /api/clients': { body: undefined; response: { clients: ClientSession[] } };
  /** Stops every service and ends the host process (Electron quits an elevated host this way). */
  'POST /api/shutdown': { body: undefined; response: { stopping: true } };
}

export type RouteKey = keyof ApiRoutes;
export type RouteBody<K extends RouteKey> = ApiRoutes[K]['body'];
export type RouteQuery<K extends RouteKey> = QueryOf<ApiRoutes[K]>;
export type RouteResponse<K extends RouteKey> = ApiRoutes[K]['response'];

export const coreRouteSchemas = {
  'PUT /api/config': { body: configPatchSchema },
} satisfies RouteSchemaTable<CoreRoutes>;

/** Body and query schemas of every route that takes one (the router reads this table, nothing else). */
export const routeSchemas = {
  ...coreRouteSchemas,
  ...menuRouteSchemas,
  ...labRouteSchemas,
  ...statsRouteSchemas,
  ...libraryRouteSchemas,
  ...builderRouteSchemas,
} satisfies RouteSchemaTable<ApiRoutes>;
export type RouteSchemas = typeof routeSchemas;

/** One WebSocket message from /api/events: events batched every ~100 ms, coalesced per subject. */
export interface EventsMessage {
  events: BootlabEvent[];
}

/** Where the token goes (header on HTTP, subprotocol on the WebSocket, never a URL): services/shared/api-protocol.ts. */
export { TOKEN_HEADER, EVENTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX, EVENTS_PATH } from '../shared/api-protocol.js';
