/**
 * The control API contract: every route, its body and its response, and the live events, declared once.
 * The server (services/api) validates bodies with the zod schemas below; the renderer imports this module
 * with `import type` only, so nothing here may touch Node (no fs, no net).
 *
 * Route keys are "METHOD /path" with ":param" segments. To add a route: add it to ApiRoutes (response and
 * body types), add its body schema to bodySchemas when it takes one, and register a handler in
 * services/api/routes/<area>.ts.
 */
import { z } from 'zod';
import type { BootlabEvent, ClientSession, LogEntry, NetInterface, ServiceState } from '../core/events.js';
import type { Profile } from '../core/config-schema.js';
import type { MenuRoutes } from './contract-menu.js';
import type { DhcpRoutes } from './contract-dhcp.js';
import type { LabRoutes } from '../lab/contract.js';

export type {
  BootlabEvent,
  ClientSession,
  ClientStage,
  BootlabEventType,
  LogEntry,
  NetInterface,
  ServiceName,
  ServiceState,
} from '../core/events.js';
export type { Profile } from '../core/config-schema.js';
export type * from './contract-menu.js';
export type * from './contract-dhcp.js';
export type { LabCapabilities, TestBootRequestInput, TestBootVm } from '../lab/contract.js';

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
  error: { code: string; message: string; hint: string; details?: Record<string, unknown> };
}

/** Every route: the core ones below plus each area's (declared in contract-<area>.ts). */
export interface ApiRoutes extends MenuRoutes, DhcpRoutes, LabRoutes {
  'GET /api/status': { body: undefined; response: StatusResponse };
  'GET /api/interfaces': { body: undefined; response: { interfaces: NetInterface[] } };
  'GET /api/config': { body: undefined; response: { profile: Profile } };
  'PUT /api/config': { body: ConfigPatch; response: { profile: Profile } };
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
export type RouteResponse<K extends RouteKey> = ApiRoutes[K]['response'];

/** Body schemas for routes that take a body; a route missing here rejects any body. */
export const bodySchemas: Partial<Record<RouteKey, z.ZodType>> = {
  'PUT /api/config': configPatchSchema,
};

/** One WebSocket message from /api/events: events batched every ~100 ms, coalesced per subject. */
export interface EventsMessage {
  events: BootlabEvent[];
}

/** Where the token goes: header for HTTP, query parameter for the WebSocket (browsers cannot set its headers). */
export const TOKEN_HEADER = 'x-bootlab-token';
export const TOKEN_QUERY = 'token';
export const EVENTS_PATH = '/api/events';
