/**
 * DHCP routes of the control API (merged into ApiRoutes by contract.ts). Types only from Node-free modules,
 * so the renderer can import this file with `import type`.
 */
import type { DhcpStatus, ExternalConfig, FirstStageReport, LeaseView } from '../dhcp/views.js';

export type {
  DhcpStatus,
  DhcpStats,
  ExternalConfig,
  FirstStageEntry,
  FirstStageReport,
  LeaseView,
  ProbeResult,
  ProbeServer,
} from '../dhcp/views.js';

/** Everything the DHCP page shows. Settings (mode, pool, reservations, overrides) change through PUT /api/config. */
export interface DhcpOverview {
  /** The mode actually running and why (with the probe result); null while the DHCP service is not running. */
  status: DhcpStatus | null;
  /** The lease table, newest first (full mode; empty in proxy mode or while stopped). */
  leases: LeaseView[];
  /** Which first-stage file each firmware gets, where it comes from, what it lacks. */
  firstStage: FirstStageReport;
  /** "Use my existing DHCP server": settings for ISC dhcpd, Kea, dnsmasq and Windows Server, ready to copy. */
  external: ExternalConfig[];
  /** Bootlab's address on the chosen interface, or null when none is chosen yet. */
  bootlabAddress: string | null;
}

export interface DhcpRoutes {
  'GET /api/dhcp': { body: undefined; response: DhcpOverview };
}
