import type { Readable } from 'node:stream';
import { httpBaseUrl } from '../shared/address.js';
import type { SyslogStats } from '../stats/views.js';
import type { PeerdistOriginHook } from '../peerdist/origin.js';

/** A file that exists only in memory or elsewhere on disk (menu scripts, the system's iPXE binaries). */
export interface VirtualFile {
  size: number;
  mtime: Date;
  open(range?: { start: number; end: number }): Readable;
}

/** Resolves a client-requested path to a virtual file, or undefined to fall through to the boot root. */
export type VirtualFileProvider = (
  path: string,
  client: { address: string },
) => VirtualFile | undefined | Promise<VirtualFile | undefined>;

/** What the HTTP server knows about a client asking for its boot script (query from iPXE settings). */
export interface BootClientInfo {
  ip: string;
  mac?: string;
  platform?: string;
  buildarch?: string;
  manufacturer?: string;
  product?: string;
  serial?: string;
  uuid?: string;
  asset?: string;
  hostname?: string;
}

/** Renders the iPXE script for one client (the menu manager provides it; HTTP serves it as /boot.ipxe). */
export type BootScriptProvider = (
  client: BootClientInfo,
  ctx: { httpBase: string },
) => string | Promise<string>;

/**
 * Live facts the services share while running: where each one actually listens (HTTP may fall back from
 * 80 to 8080), how to map a client IP to its MAC (through the DHCP leases), and virtual files served by
 * both TFTP and HTTP. Services publish here; nobody reaches into another service directly.
 */
export class Runtime {
  serverAddress = '127.0.0.1';
  httpPort: number | null = null;
  tftpPort: number | null = null;
  syslogPort: number | null = null;
  /** TCP (and TLS) syslog port, when TCP syslog is on (services/syslog). */
  syslogTcpPort: number | null = null;
  /** The certificate syslog TLS presents (iPXE needs it through TRUST=), when TLS is on. */
  syslogCertPath: string | null = null;
  /** Receiver counters while syslog runs (lines, drops by reason). */
  syslogStats: (() => SyslogStats) | null = null;
  /** Hosted-cache address for `set peerhost` ("10.77.0.1:8091"), while the PeerDist cache runs. */
  peerHost: string | null = null;
  /** PeerDist origin hook the HTTP server calls before serving a file (services/peerdist/origin.ts). */
  peerdistOrigin: PeerdistOriginHook | null = null;
  peerdistCounters:
    (() => { contentInfo: number; cacheHits: number; cacheMisses: number; originRanges: number }) | null =
    null;
  /** Set by the host from the menu manager; HTTP falls back to a built-in script while it is unset. */
  bootScript: BootScriptProvider | null = null;
  private readonly macByIp = new Map<string, string>();
  private readonly providers: VirtualFileProvider[] = [];

  /** Base URL clients use for HTTP (scripts, kernels), e.g. http://10.77.0.1:8080 */
  httpBase(): string | null {
    if (this.httpPort === null) return null;
    return httpBaseUrl(this.serverAddress, this.httpPort);
  }

  rememberClient(ip: string, mac: string): void {
    this.macByIp.set(ip, mac.toLowerCase());
  }

  macFor(ip: string): string | undefined {
    return this.macByIp.get(ip);
  }

  addVirtualFiles(provider: VirtualFileProvider): () => void {
    this.providers.push(provider);
    return () => {
      const i = this.providers.indexOf(provider);
      if (i >= 0) this.providers.splice(i, 1);
    };
  }

  async findVirtualFile(path: string, client: { address: string }): Promise<VirtualFile | undefined> {
    for (const provider of this.providers) {
      const file = await provider(path, client);
      if (file) return file;
    }
    return undefined;
  }
}
