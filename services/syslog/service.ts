/**
 * The syslog service's sockets: UDP 514 (what iPXE's `syslog` sends), TCP 514 (RFC 6587 framing) and TLS
 * on the same TCP port (RFC 5425; iPXE's `syslogs` defaults to port 514 too, src/net/tcp/syslogs.c), told
 * apart by the first byte a client sends (0x16 = TLS handshake record, RFC 5246 6.2.1). Every line goes
 * through the pure SyslogReceiver (server.ts) and out on the bus as `syslog.line`. Stop undoes it all.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls';
import { cleanText, TEXT_LIMITS } from '../core/clean-text.js';
import type { SyslogLineEvent } from '../shared/events.js';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { hostOfAddress } from '../shared/address.js';
import { bindUdp, closeUdp, listenTcp } from '../net/sockets.js';
import { SyslogFramer } from './codec.js';
import { SyslogReceiver, type SyslogLine, type SyslogTransport } from './server.js';
import { loadOrCreateSyslogCert } from './tls-cert.js';

const TLS_HANDSHAKE = 0x16;

export class SyslogService implements BootService {
  readonly name = 'syslog' as const;
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly conns = new Set<Socket>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private ctx: ServiceContext | undefined;
  receiver: SyslogReceiver | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const cfg = ctx.profile.syslog;
    const address = ctx.network.address;
    this.ctx = ctx;
    const receiver = new SyslogReceiver({
      report: (line) => ctx.bus.emit('syslog.line', toEvent(line)),
      maxMessageBytes: cfg.maxMessageBytes,
      maxSenders: cfg.maxSenders,
    });
    this.receiver = receiver;
    ctx.runtime.syslogStats = () => ({
      received: receiver.received,
      lines: receiver.lines,
      dropped: { ...receiver.drops },
      senders: receiver.senderCount,
      connections: this.conns.size,
    });
    this.udp = await bindUdp({ service: 'syslog receiver', address, port: cfg.port });
    this.udp.on('message', (msg, rinfo) => receiver.ingest(rinfo.address, msg, 'udp'));
    this.udp.on('error', (err) => ctx.log.warn(`syslog: UDP socket error: ${err.message}`));
    const port = this.udp.address().port;
    ctx.runtime.syslogPort = port;
    const listening = [`udp ${address}:${port}`];

    let secure: SecureContext | undefined;
    let certNote = '';
    if (cfg.tcp) {
      if (cfg.tls.enabled) {
        const cert = await loadOrCreateSyslogCert(ctx.dataDir, address, cfg.tls);
        secure = createSecureContext({ cert: cert.cert, key: cert.key });
        ctx.runtime.syslogCertPath = cert.certPath;
        certNote = `; TLS with ${cert.certPath}`;
      }
      this.tcp = createServer({ pauseOnConnect: false }, (socket) => this.accept(socket, secure));
      this.tcp.maxConnections = cfg.maxConnections;
      // Same number as UDP; with port 0 (tests) take whatever TCP port is free.
      const tcpPort = await listenTcp(this.tcp, {
        service: 'syslog receiver (TCP)',
        address,
        port: cfg.port === 0 ? 0 : port,
      });
      ctx.runtime.syslogTcpPort = tcpPort;
      listening.push(`tcp ${address}:${tcpPort}${secure ? ' (plain and TLS)' : ''}`);
    }
    this.timer = setInterval(() => receiver.flushExpired(), 500);
    this.timer.unref();
    return { listening, summary: `receiving iPXE syslog on ${address}:${port}${certNote}` };
  }

  private accept(socket: Socket, secure: SecureContext | undefined): void {
    const ctx = this.ctx!;
    const receiver = this.receiver!;
    const cfg = ctx.profile.syslog;
    const from = hostOfAddress(socket.remoteAddress);
    this.conns.add(socket);
    socket.once('close', () => this.conns.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(cfg.idleSeconds * 1000, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (first[0] === TLS_HANDSHAKE && secure) {
        // The first bytes were already read from the socket, so TLS gets a stream that replays them and
        // then forwards the rest (a TLSSocket on the raw socket would read past them at the handle level).
        const replay = new Duplex({
          read() {},
          write(chunk: Buffer, _enc, done) {
            socket.write(chunk, done);
          },
          final(done) {
            socket.end(done);
          },
        });
        replay.push(first);
        socket.on('data', (d: Buffer) => replay.push(d));
        socket.once('end', () => replay.push(null));
        socket.once('close', () => replay.destroy());
        const tls = new TLSSocket(replay as unknown as Socket, { isServer: true, secureContext: secure });
        tls.on('error', () => {
          receiver.drop('bad-frame');
          socket.destroy();
        });
        this.readFrames(tls, from, 'tls', receiver, cfg.maxMessageBytes);
        return;
      }
      this.readFrames(socket, from, 'tcp', receiver, cfg.maxMessageBytes, first);
    });
  }

  private readFrames(
    stream: Socket,
    from: string,
    transport: SyslogTransport,
    receiver: SyslogReceiver,
    maxFrame: number,
    first?: Buffer,
  ): void {
    const framer = new SyslogFramer(maxFrame);
    const feed = (chunk: Buffer): void => {
      const { frames, error } = framer.push(chunk);
      for (const f of frames) receiver.ingest(from, f, transport);
      if (error) {
        // After a broken octet count the stream cannot be resynchronised (RFC 6587 3.4.1): close it.
        receiver.drop(error);
        stream.destroy();
      }
    };
    if (first) feed(first);
    stream.on('data', feed);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.receiver?.flushAll();
    await closeUdp(this.udp);
    this.udp = undefined;
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp?.listening) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (this.ctx) {
      this.ctx.runtime.syslogPort = null;
      this.ctx.runtime.syslogTcpPort = null;
      this.ctx.runtime.syslogStats = null;
    }
    this.ctx = undefined;
  }
}

function toEvent(line: SyslogLine): SyslogLineEvent {
  return {
    from: line.from,
    transport: line.transport,
    time: new Date(line.time).toISOString(),
    severity: line.severity,
    facility: line.facility,
    format: line.format,
    // Wire text, cleaned and capped before the Logs page or a session sees it (core/clean-text.ts).
    ...(line.hostname ? { hostname: cleanText(line.hostname, TEXT_LIMITS.hostname) } : {}),
    ...(line.tag ? { tag: line.tag } : {}),
    ...(line.structuredData ? { structuredData: line.structuredData } : {}),
    text: cleanText(line.text, TEXT_LIMITS.message, { trim: false }),
    parts: line.parts,
  };
}
