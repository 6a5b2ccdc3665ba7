import type { Socket } from 'node:dgram';
import { join } from 'node:path';
import { BootlabError } from '../shared/errors.js';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { bindUdp, closeUdp } from '../net/sockets.js';
import { addressInUse } from './address-check.js';
import { Allocator, defaultPool, ipToInt } from './allocator.js';
import type { DhcpConfig } from './config.js';
import { firstStageLookup, firstStageReport, type FirstStageReport } from './first-stage.js';
import { LeaseStore } from './leases.js';
import { signedChainMissing } from './signed-chain.js';
import { vendorFromMac } from './oui.js';
import { ARCH_NAMES, type BootPolicyInput, type FirstStageNames } from './policy.js';
import { httpBaseUrl } from '../shared/address.js';
import { describeProbe, probeDhcpServers, type ProbeResult } from './probe.js';
import { DhcpServer } from './server.js';
import type { DhcpReport, DhcpStatus, LeaseView } from './views.js';
export type { DhcpStatus, LeaseView } from './views.js';

/** The pool must lie inside the interface's subnet, or clients get addresses they cannot use. */
function checkPool(
  pool: { start: string; end: string },
  address: string,
  netmask: string,
  iface: string,
): void {
  const mask = ipToInt(netmask);
  const net = (ipToInt(address) & mask) >>> 0;
  const inside = (ip: string): boolean => (ipToInt(ip) & mask) >>> 0 === net;
  if (!inside(pool.start) || !inside(pool.end) || ipToInt(pool.end) < ipToInt(pool.start)) {
    throw new BootlabError(
      'CONFIG_INVALID',
      `The DHCP pool ${pool.start}–${pool.end} is not a range inside ${iface}'s network (${address}, mask ${netmask}).`,
      'Set the pool in Settings → DHCP to addresses of that network (start before end), or leave it empty to use .100–.199.',
      { pool, address, netmask },
    );
  }
}

/** http://<interface address>[:port] — built from the interface, not runtime.serverAddress, so clients on
 * the boot network always get an address they can reach. */
function httpBaseFor(ctx: ServiceContext): string | null {
  const port = ctx.runtime.httpPort;
  if (port === null) return null;
  return httpBaseUrl(ctx.network.address, port);
}

export function firstStageNames(cfg: DhcpConfig): FirstStageNames {
  const f = cfg.firstStage;
  return {
    bios: f.bios,
    'efi-x64': f.efiX64,
    'efi-ia32': f.efiIa32,
    'efi-arm32': f.efiArm32,
    'efi-arm64': f.efiArm64,
  };
}

/**
 * The DHCP service: full, proxy, off, or auto (probe, then proxy beside another server or full alone).
 * Receives on 0.0.0.0:<port> and sends from a socket bound to the interface address (reuseAddr), so
 * broadcasts leave through the chosen interface even when the default route is elsewhere (Node's dgram
 * cannot bind to a device).
 */
export class DhcpService implements BootService {
  readonly name = 'dhcp' as const;
  private sockets: Socket[] = [];
  private store: LeaseStore | null = null;
  private server: DhcpServer | null = null;
  private ctx: ServiceContext | null = null;
  private current: DhcpStatus = {
    configuredMode: 'auto',
    mode: 'stopped',
    reason: 'not started',
    probe: null,
    pool: null,
    stats: null,
  };

  async start(ctx: ServiceContext): Promise<StartResult> {
    try {
      return await this.startInner(ctx);
    } catch (err) {
      await this.stop(); // a refused start (other server, bad pool, port in use) leaves nothing behind
      throw err;
    }
  }

  /** The start, step by step: off → nothing bound; else choose the mode, build the handler, bind. */
  private async startInner(ctx: ServiceContext): Promise<StartResult> {
    this.ctx = ctx;
    const cfg = ctx.profile.dhcp;
    this.warnAboutFirstStage(ctx);
    this.current = {
      configuredMode: cfg.mode,
      mode: 'off',
      reason: 'DHCP is off: clients need another DHCP server',
      probe: null,
      pool: null,
      stats: null,
    };
    if (cfg.mode === 'off') return { listening: [], summary: this.current.reason };

    const { mode, reason, probe } = await this.chooseMode(ctx, cfg);
    const pool = mode === 'full' ? (cfg.pool ?? defaultPool(ctx.network.address, ctx.network.netmask)) : null;
    this.current = { configuredMode: cfg.mode, mode, reason, probe, pool, stats: null };
    const allocator = pool ? this.openLeases(ctx, cfg, pool) : undefined;
    this.warnAboutSignedChain(ctx, cfg);
    const server = this.createHandler(ctx, cfg, mode, allocator);
    const listening = await this.bindSockets(ctx, cfg, mode, server);
    const poolText = pool ? `, pool ${pool.start}–${pool.end}` : '';
    return { listening, summary: `${mode} mode: ${reason}${poolText}` };
  }

  /** First-stage files are served even with DHCP off (a site's own DHCP server may point at our TFTP). */
  private warnAboutFirstStage(ctx: ServiceContext): void {
    const report = this.firstStage();
    if (report.howToGet) ctx.log.warn(`No iPXE first stage is available. ${report.howToGet}`);
  }

  /** Secure Boot machines are configured but shim/GRUB cannot be served: say so now, not at boot time. */
  private warnAboutSignedChain(ctx: ServiceContext, cfg: DhcpConfig): void {
    if (cfg.secureBoot.allMachines || cfg.secureBoot.hosts.some((h) => h.chain === 'signed')) {
      const missing = signedChainMissing(ctx.bootRoot);
      if (missing) ctx.log.warn(missing);
    }
  }

  /** Full mode: checks the pool against the interface, opens the lease database, builds the allocator. */
  private openLeases(ctx: ServiceContext, cfg: DhcpConfig, pool: { start: string; end: string }): Allocator {
    checkPool(pool, ctx.network.address, ctx.network.netmask, ctx.network.iface.name);
    this.store = new LeaseStore(join(ctx.dataDir, 'leases.db'));
    this.store.reclaimExpired(Date.now() - 24 * 3600_000);
    return new Allocator(this.store, {
      pool,
      reservations: new Map(cfg.reservations.map((r) => [r.mac, r.ip])),
      serverAddress: ctx.network.address,
      leaseMs: cfg.leaseSeconds * 1000,
      inUse: (ip, mac) => addressInUse(ip, cfg.addressCheck, mac),
    });
  }

  /** What one client gets (read at each request, so HTTP and syslog starting later are picked up). */
  private bootPolicy(ctx: ServiceContext, cfg: DhcpConfig): () => BootPolicyInput {
    const overrides = new Map(cfg.overrides.map((o) => [o.mac, o.bootFile]));
    const names = firstStageNames(cfg);
    const firstStageExists = firstStageLookup(ctx.bootRoot);
    const secureBoot = {
      allMachines: cfg.secureBoot.allMachines,
      hosts: new Map(cfg.secureBoot.hosts.map((h) => [h.mac, h.chain])),
    };
    return () => ({
      serverAddress: ctx.network.address,
      httpBase: httpBaseFor(ctx),
      scriptPath: '/boot.ipxe',
      firstStage: names,
      overrides,
      secureBoot,
      firstStageExists,
    });
  }

  /** The pure handler (server.ts): sockets injected as `send`, reports wired to the bus and the runtime. */
  private createHandler(
    ctx: ServiceContext,
    cfg: DhcpConfig,
    mode: 'full' | 'proxy',
    allocator: Allocator | undefined,
  ): DhcpServer {
    const runtime = ctx.runtime;
    const send = (buf: Buffer, port: number, address: string, via: 'main' | 'proxy'): void => {
      const sock = via === 'proxy' ? this.sockets[2] : this.sockets[1];
      sock?.send(buf, port, address, (err) => {
        if (err) ctx.log.warn(`DHCP: could not send to ${address}:${port}: ${err.message}`);
      });
    };
    this.server = new DhcpServer({
      mode,
      serverAddress: ctx.network.address,
      subnetMask: ctx.network.netmask,
      router: cfg.router,
      dns: cfg.dns,
      domain: cfg.domain,
      leaseSeconds: cfg.leaseSeconds,
      ports: { server: cfg.port, client: cfg.clientPort },
      allocator,
      hostnames: new Map(cfg.reservations.filter((r) => r.hostname).map((r) => [r.mac, r.hostname!])),
      policy: this.bootPolicy(ctx, cfg),
      // Option 7 only while syslog runs: a stopped receiver is not handed out (settings take effect).
      syslogAddress: () => (runtime.syslogPort !== null ? ctx.network.address : null),
      pxelinux: cfg.pxelinux,
      send,
      onAck: (ip, mac) => runtime.rememberClient(ip, mac),
      onOffer: (e) => ctx.bus.emit('dhcp.offer', e),
      onAckEvent: (e) => ctx.bus.emit('dhcp.ack', e),
      onDrop: (from, why) => ctx.bus.emit('dhcp.drop', { from, reason: why }),
      log: ctx.log,
      rateLimit: { packets: cfg.rateLimitPerMac, windowMs: 10_000 },
    });
    this.current.stats = this.server.stats;
    return this.server;
  }

  /**
   * Binds the sockets: broadcasts arrive on 0.0.0.0, unicast to <addr>:port on the more specific tx socket;
   * proxy mode adds the PXE boot-server port. A bind failure propagates to start(), which cleans up.
   */
  private async bindSockets(
    ctx: ServiceContext,
    cfg: DhcpConfig,
    mode: 'full' | 'proxy',
    server: DhcpServer,
  ): Promise<string[]> {
    const listening: string[] = [];
    const common = { service: 'DHCP server', port: cfg.port, reuseAddr: true, broadcast: true };
    this.sockets.push(await bindUdp({ ...common, address: '0.0.0.0' }));
    this.sockets.push(await bindUdp({ ...common, address: ctx.network.address }));
    listening.push(`udp 0.0.0.0:${cfg.port}`);
    if (mode === 'proxy') {
      this.sockets.push(
        await bindUdp({
          service: 'PXE boot server',
          address: ctx.network.address,
          port: cfg.proxyPort,
          broadcast: true,
        }),
      );
      listening.push(`udp ${ctx.network.address}:${cfg.proxyPort}`);
    }
    this.sockets.forEach((sock, i) => {
      sock.on('message', (buf, rinfo) => void server.handle(buf, rinfo, i === 2 ? 'proxy' : 'main'));
      sock.on('error', (err) => ctx.log.warn(`DHCP socket error: ${err.message}`));
    });
    return listening;
  }

  private async chooseMode(
    ctx: ServiceContext,
    cfg: DhcpConfig,
  ): Promise<{ mode: 'full' | 'proxy'; reason: string; probe: ProbeResult | null }> {
    if (cfg.mode === 'proxy')
      return {
        mode: 'proxy',
        reason: 'configured as proxyDHCP beside the network’s own DHCP server',
        probe: null,
      };
    if (cfg.mode === 'full' && cfg.forceFull)
      return {
        mode: 'full',
        reason: 'configured as the DHCP server (forced, other servers not checked)',
        probe: null,
      };
    const probe = await probeDhcpServers({
      interfaceAddress: ctx.network.address,
      mac: ctx.network.iface.mac,
      serverPort: cfg.port,
      clientPort: cfg.clientPort,
      seconds: cfg.probeSeconds,
    });
    const present = probe.servers.some((s) => !s.proxy);
    const what = describeProbe(probe);
    if (cfg.mode === 'auto') {
      return present
        ? { mode: 'proxy', reason: `auto chose proxy: ${what}`, probe }
        : { mode: 'full', reason: `auto chose full: ${what}`, probe };
    }
    if (present) {
      throw new BootlabError(
        'DHCP_SERVER_PRESENT',
        `Another DHCP server is active on ${ctx.network.iface.name}: ${what}. Two DHCP servers on one network hand out conflicting addresses.`,
        'Use proxy mode (Bootlab adds only boot information), or switch the other server off, or force full mode in Settings → DHCP if you are sure.',
        { probe },
      );
    }
    return { mode: 'full', reason: `configured as the DHCP server; ${what}`, probe };
  }

  /** Mode, reason and probe result for the API. */
  status(): DhcpStatus {
    return {
      ...this.current,
      stats: this.server ? { ...this.server.stats, dropReasons: { ...this.server.stats.dropReasons } } : null,
    };
  }

  /** The typed report the supervisor hands the API. */
  report(): DhcpReport {
    return { status: this.status(), leases: this.leases() };
  }

  /** The lease table (full mode; empty otherwise), newest first. */
  leases(): LeaseView[] {
    return (this.store?.list() ?? [])
      .filter((l) => !l.mac.startsWith('conflict:'))
      .map((l) => ({
        mac: l.mac,
        vendor: vendorFromMac(l.mac),
        ip: l.ip,
        state: l.expires < Date.now() ? 'expired' : l.state,
        expires: new Date(l.expires).toISOString(),
        hostname: l.hostname,
        arch: l.arch,
        archName: l.arch === undefined ? undefined : ARCH_NAMES[l.arch],
        stage: l.stage,
        vendorClass: l.vendorClass,
        lastSeen: new Date(l.lastSeen).toISOString(),
      }));
  }

  /** Which first-stage file each firmware gets, where from, and what it lacks. */
  firstStage(): FirstStageReport {
    const ctx = this.ctx;
    if (!ctx)
      throw new BootlabError(
        'INTERNAL',
        'The DHCP service has not started yet.',
        'Start the services first.',
      );
    const cfg = ctx.profile.dhcp;
    return firstStageReport({
      bootRoot: ctx.bootRoot,
      names: firstStageNames(cfg),
      overrides: new Map(cfg.overrides.map((o) => [o.mac, o.bootFile])),
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.sockets.map((s) => closeUdp(s)));
    this.sockets = [];
    this.store?.close();
    this.store = null;
    this.server = null;
    if (this.current.mode !== 'off') this.current = { ...this.current, mode: 'stopped' };
  }
}
