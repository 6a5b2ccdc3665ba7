/**
 * What the DHCP service shows the UI, as plain types with no Node imports: the API contract (and so the
 * renderer) imports them from here.
 */
import type { DhcpConfig } from './config.js';

/** What the API shows on the DHCP page: the mode actually running, why, and the probe behind it. */
export interface DhcpStatus {
  configuredMode: DhcpConfig['mode'];
  mode: 'full' | 'proxy' | 'off' | 'stopped';
  reason: string;
  probe: ProbeResult | null;
  pool: { start: string; end: string } | null;
  stats: DhcpStats | null;
}

/** What the running DHCP service reports through the supervisor: its mode and the lease table. */
export interface DhcpReport {
  status: DhcpStatus;
  leases: LeaseView[];
}

export interface LeaseView {
  mac: string;
  /** From the MAC's OUI (small built-in table), e.g. "QEMU/KVM". */
  vendor?: string;
  ip: string;
  state: string;
  expires: string;
  hostname?: string;
  arch?: number;
  archName?: string;
  stage?: string;
  vendorClass?: string;
  lastSeen: string;
}

export type FirstStageSource = 'boot-root' | 'system' | 'missing';

export interface FirstStageEntry {
  /** The firmware in words ("BIOS (legacy PXE)", "UEFI x64", …) or "override 52:54:00:…" */
  use: string;
  file: string;
  source: FirstStageSource;
  path?: string;
  size?: number;
  /** Features this build lacks that Bootlab uses (syslog, HTTPS, PeerDist), when known. */
  lacks: string[];
  note: string;
}

export interface FirstStageReport {
  entries: FirstStageEntry[];
  system: { dir: string; packageVersion: string | null; files: string[] };
  /** Set when no iPXE first stage is available at all: what to do. */
  howToGet?: string;
}

export interface ProbeServer {
  /** Source address of the OFFER. */
  address: string;
  serverId?: string;
  /** yiaddr of the offer; absent for a proxyDHCP server (boot information only). */
  offeredIp?: string;
  proxy: boolean;
}

export interface ProbeResult {
  servers: ProbeServer[];
  seconds: number;
  interfaceAddress: string;
  /** Port 68 was taken by the host's DHCP client, so the probe asked as a relay agent (giaddr). */
  relay: boolean;
}

export interface DhcpStats {
  received: number;
  replied: number;
  dropped: number;
  dropReasons: Record<string, number>;
}

export interface ExternalConfig {
  server: 'isc-dhcpd' | 'kea' | 'dnsmasq' | 'windows';
  title: string;
  /** Where it goes, e.g. "/etc/dhcp/dhcpd.conf, inside the subnet block". */
  where: string;
  language: 'conf' | 'json' | 'powershell';
  text: string;
}
