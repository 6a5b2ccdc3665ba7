import type { DhcpEvent } from '../shared/events.js';
import type { Logger } from '../core/logger.js';
import type { Allocator } from './allocator.js';
import { BOOTREQUEST, DhcpDecodeError, decodePacket, encodePacket, type DhcpPacket } from './codec.js';
import { clientIdentityProblem, MSG, MSG_NAMES, readClientRequest, type ClientRequest } from './options.js';
import {
  ARCH_NAMES,
  chooseBoot,
  type BootDecision,
  type BootPolicyInput,
  type ChainState,
} from './policy.js';
import { buildReply, replyDestination, type AddressInfo, type ReplyInput } from './reply.js';
import type { DhcpStats } from './views.js';
export type { DhcpStats } from './views.js';

/**
 * The DHCP/proxyDHCP request handler: decode, rate-limit, decide, reply. Sockets are injected (a send
 * function), so unit tests drive it in memory and the service wires it to real sockets. Malformed packets
 * are dropped and counted by reason; nothing a packet contains can throw out of handle().
 */

export type Via = 'main' | 'proxy';

export interface DhcpServerOptions {
  mode: 'full' | 'proxy';
  serverAddress: string;
  subnetMask: string;
  router: string | null;
  dns: string[];
  domain: string | null;
  leaseSeconds: number;
  ports: { server: number; client: number };
  allocator?: Allocator;
  hostnames?: Map<string, string>;
  policy: () => BootPolicyInput;
  syslogAddress: () => string | null;
  pxelinux?: { configFile: string; pathPrefix: string } | null;
  send: (buf: Buffer, port: number, address: string, via: Via) => void;
  /** An address is known for a MAC (our ACK; in proxy mode the REQUEST to the other server, or port 4011's source). */
  onAck?: (ip: string, mac: string) => void;
  onOffer?: (e: DhcpEvent) => void;
  onAckEvent?: (e: DhcpEvent) => void;
  onDrop?: (from: string, reason: string) => void;
  log: Logger;
  /** Per-MAC limit: at most `packets` in `windowMs` (a PXE boot takes about 8). */
  rateLimit?: { packets: number; windowMs: number };
  now?: () => number;
}

export class DhcpServer {
  readonly stats: DhcpStats = { received: 0, replied: 0, dropped: 0, dropReasons: {} };
  private readonly chains = new Map<string, ChainState>();
  private readonly rates = new Map<string, { start: number; count: number }>();
  private lastPoolFullWarning = 0;
  /** "mac file" pairs already told about a missing first stage (one log line per client, not per packet). */
  private readonly toldMissing = new Set<string>();
  /** The last decide() found the client's first-stage file missing (proxy paths count it as the drop reason). */
  private lastMissing = false;
  private readonly now: () => number;

  constructor(private readonly o: DhcpServerOptions) {
    this.now = o.now ?? Date.now;
  }

  drop(from: string, reason: string): void {
    this.stats.dropped++;
    this.stats.dropReasons[reason] = (this.stats.dropReasons[reason] ?? 0) + 1;
    this.o.onDrop?.(from, reason);
  }

  /** Handles one datagram. Never throws: every failure becomes a counted drop. */
  async handle(buf: Buffer, from: { address: string; port: number }, via: Via): Promise<void> {
    this.stats.received++;
    const src = `${from.address}:${from.port}`;
    let req: DhcpPacket;
    let client: ClientRequest;
    try {
      req = decodePacket(buf);
      if (req.op !== BOOTREQUEST) return this.drop(src, 'not-a-request');
      // No usable MAC: nothing to key a lease, an offer or a rate limit on (counted, never answered).
      const noIdentity = clientIdentityProblem(req);
      if (noIdentity) return this.drop(src, noIdentity);
      client = readClientRequest(req);
    } catch (err) {
      return this.drop(src, err instanceof DhcpDecodeError ? err.reason : 'decode-error');
    }
    if (!this.allow(client.mac)) return this.drop(src, 'rate-limit');
    try {
      if (via === 'proxy') await this.onProxyPort(req, client, from);
      else if (this.o.mode === 'proxy') this.onProxyMain(req, client, src);
      else await this.onFull(req, client, src);
    } catch (err) {
      this.o.log.warn(
        `DHCP: request from ${client.mac} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      this.drop(src, 'internal-error');
    }
  }

  private allow(mac: string): boolean {
    const lim = this.o.rateLimit ?? { packets: 40, windowMs: 10_000 };
    const now = this.now();
    const r = this.rates.get(mac);
    if (!r || now - r.start > lim.windowMs) {
      if (this.rates.size > 20_000) this.rates.clear();
      this.rates.set(mac, { start: now, count: 1 });
      return true;
    }
    r.count++;
    return r.count <= lim.packets;
  }

  /** Boot information only for clients that ask to boot (PXE, iPXE, HTTP boot, or option 93 present). */
  private decide(client: ClientRequest): BootDecision | undefined {
    if (!client.isPxe && !client.isIpxe && !client.isHttpClient && client.arch === undefined)
      return undefined;
    const now = this.now();
    const d = chooseBoot(client, this.o.policy(), this.chains.get(client.mac), now);
    this.lastMissing = d?.kind === 'missing';
    if (d?.kind === 'missing') {
      this.tellMissing(client, d);
      return undefined;
    }
    if (d?.chain) {
      if (this.chains.size > 10_000) this.chains.clear();
      this.chains.set(client.mac, d.chain);
    }
    return d;
  }

  private tellMissing(client: ClientRequest, d: BootDecision): void {
    const key = `${client.mac} ${d.file}`;
    if (this.toldMissing.has(key)) return;
    if (this.toldMissing.size > 10_000) this.toldMissing.clear();
    this.toldMissing.add(key);
    const machine = ARCH_NAMES[client.arch ?? 0] ?? `architecture ${client.arch}`;
    const instead =
      this.o.mode === 'full' ? 'it gets an address but no boot file' : 'Bootlab does not answer it';
    this.o.log.warn(
      `DHCP: ${client.mac} (${machine}) wants to network-boot, but its first-stage file ${d.file} is not in ` +
        `the boot root or the system iPXE folder, so ${instead}. Build it on the Builder page or copy ` +
        `${d.file} into the boot root; Bootlab hands it out as soon as it is there.`,
    );
  }

  private addressInfo(ip: string, mac: string): AddressInfo {
    return {
      ip,
      leaseSeconds: this.o.leaseSeconds,
      subnetMask: this.o.subnetMask,
      router: this.o.router,
      dns: this.o.dns,
      domain: this.o.domain,
      hostname: this.o.hostnames?.get(mac),
    };
  }

  private reply(
    req: DhcpPacket,
    client: ClientRequest,
    input: Omit<ReplyInput, 'serverAddress' | 'syslogAddress' | 'pxelinux'>,
    to?: { address: string; port: number },
    via: Via = 'main',
  ): void {
    const packet = buildReply(req, client, {
      ...input,
      serverAddress: this.o.serverAddress,
      syslogAddress: this.o.syslogAddress(),
      pxelinux: this.o.pxelinux,
    });
    const dest = to ?? replyDestination(req, input.messageType, this.o.ports);
    this.o.send(encodePacket(packet, { maxLength: client.maxSize }), dest.port, dest.address, via);
    this.stats.replied++;
  }

  private event(
    client: ClientRequest,
    messageType: number,
    mode: 'full' | 'proxy',
    ip?: string,
    boot?: BootDecision,
  ): DhcpEvent {
    return {
      mac: client.mac,
      ip,
      xid: client.xid,
      messageType: MSG_NAMES[messageType] ?? String(messageType),
      arch: client.arch,
      isIpxe: client.isIpxe,
      mode,
      bootFile: boot?.file,
      vendorClass: client.vendorClass,
      hostname: client.hostname,
    };
  }

  private leaseDetails(client: ClientRequest): {
    hostname?: string;
    arch?: number;
    stage: string;
    vendorClass?: string;
  } {
    return {
      hostname: this.o.hostnames?.get(client.mac) ?? client.hostname,
      arch: client.arch,
      stage: client.isIpxe ? 'iPXE' : client.isPxe || client.isHttpClient ? 'firmware' : 'OS',
      vendorClass: client.vendorClass,
    };
  }

  private async onFull(req: DhcpPacket, client: ClientRequest, src: string): Promise<void> {
    const alloc = this.o.allocator;
    if (!alloc) return this.drop(src, 'no-pool');
    const now = this.now();
    switch (client.messageType) {
      case MSG.DISCOVER: {
        const lease = await alloc.offer(client.mac, client.requestedIp, now, this.leaseDetails(client));
        if (!lease) {
          // Every check slot busy (a burst of new clients): the client's next DISCOVER finds one free.
          if (alloc.lastMiss === 'checks-busy') return this.drop(src, 'address-checks-busy');
          if (now - this.lastPoolFullWarning > 30_000) {
            this.lastPoolFullWarning = now;
            this.o.log.warn(
              `DHCP pool is full: no free address for ${client.mac} (${alloc.size} addresses, all leased or in use). ` +
                'Widen the pool or shorten the lease time in Settings → DHCP, or remove old leases.',
            );
          }
          return this.drop(src, 'pool-full');
        }
        const boot = this.decide(client);
        this.reply(req, client, {
          mode: 'full',
          messageType: MSG.OFFER,
          address: this.addressInfo(lease.ip, client.mac),
          boot,
        });
        this.o.onOffer?.(this.event(client, MSG.OFFER, 'full', lease.ip, boot));
        return;
      }
      case MSG.REQUEST: {
        const sid = client.serverId === undefined ? undefined : client.serverId === this.o.serverAddress;
        const wanted = client.requestedIp ?? (client.ciaddr !== '0.0.0.0' ? client.ciaddr : undefined);
        const result = alloc.request(client.mac, wanted, sid, now, this.leaseDetails(client));
        if (result.ok === 'ignore') return this.drop(src, 'other-server');
        if (result.ok === false) {
          this.reply(req, client, { mode: 'full', messageType: MSG.NAK, message: result.reason });
          return;
        }
        const boot = this.decide(client);
        this.reply(req, client, {
          mode: 'full',
          messageType: MSG.ACK,
          address: this.addressInfo(result.lease.ip, client.mac),
          boot,
        });
        this.o.onAck?.(result.lease.ip, client.mac);
        this.o.onAckEvent?.(this.event(client, MSG.ACK, 'full', result.lease.ip, boot));
        return;
      }
      case MSG.DECLINE:
        if (client.requestedIp) alloc.decline(client.mac, client.requestedIp, now);
        this.o.log.warn(
          `DHCP: ${client.mac} declined ${client.requestedIp ?? '?'} (another machine uses it); it is parked for 10 minutes.`,
        );
        return;
      case MSG.RELEASE:
        alloc.release(client.mac, client.ciaddr, now);
        return;
      case MSG.INFORM: {
        const boot = this.decide(client);
        this.reply(req, client, { mode: 'full', messageType: MSG.ACK, boot });
        return;
      }
      default:
        return this.drop(src, 'unexpected-message');
    }
  }

  /** Proxy mode on the DHCP port: offer boot information (no address) to PXE/iPXE DISCOVERs only. */
  private onProxyMain(req: DhcpPacket, client: ClientRequest, src: string): void {
    if (client.messageType === MSG.REQUEST && client.requestedIp) {
      // The other server will ACK this address: remember IP→MAC so HTTP/syslog can join the client's session.
      this.o.onAck?.(client.requestedIp, client.mac);
    }
    if (client.messageType !== MSG.DISCOVER) return this.drop(src, 'proxy-ignores-non-discover');
    const boot = this.decide(client);
    if (!boot) return this.drop(src, this.lastMissing ? 'first-stage-missing' : 'not-a-pxe-client');
    this.reply(req, client, { mode: 'proxy', messageType: MSG.OFFER, boot });
    this.o.onOffer?.(this.event(client, MSG.OFFER, 'proxy', undefined, boot));
  }

  /** PXE boot server port 4011 (PXE spec 2.1 §2.2.6): REQUEST/INFORM → ACK to the source ip:port. */
  private async onProxyPort(
    req: DhcpPacket,
    client: ClientRequest,
    from: { address: string; port: number },
  ): Promise<void> {
    const src = `${from.address}:${from.port}`;
    if (client.messageType !== MSG.REQUEST && client.messageType !== MSG.INFORM)
      return this.drop(src, 'proxy-port-non-request');
    const boot = this.decide(client);
    if (!boot) return this.drop(src, this.lastMissing ? 'first-stage-missing' : 'not-a-pxe-client');
    this.reply(req, client, { mode: 'proxy', messageType: MSG.ACK, boot }, from, 'proxy');
    if (from.address !== '0.0.0.0') this.o.onAck?.(from.address, client.mac);
    this.o.onAckEvent?.(this.event(client, MSG.ACK, 'proxy', from.address, boot));
  }
}
