import type { Socket } from 'node:dgram';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { bindUdp, closeUdp } from '../net/sockets.js';
import { blockSizeForMtu, mtuOf } from './negotiate.js';
import { TftpServer } from './server.js';
import { emptyTftpStats, type TftpStats } from './views.js';

/**
 * The TFTP boot service: read-only, options blksize/tsize/timeout/windowsize, virtual files first. It binds
 * the request port and each transfer's socket, hands packets to the handler (server.ts), puts its reports on
 * the bus, publishes the port in the runtime, and takes all of that back on stop.
 */
export class TftpService implements BootService {
  readonly name = 'tftp' as const;
  private server: TftpServer | undefined;
  private socket: Socket | undefined;
  private ctx: ServiceContext | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const config = ctx.profile.tftp;
    const address = ctx.network.address;
    const mtu = mtuOf(ctx.network.iface.name);
    const mtuBlockSize = blockSizeForMtu(mtu);
    const socket = await bindUdp({ service: 'TFTP server', address, port: config.port });
    const server = new TftpServer({
      bootRoot: ctx.bootRoot,
      config,
      mtuBlockSize,
      runtime: ctx.runtime,
      log: ctx.log,
      send: (packet, port, host) => socket.send(packet, port, host),
      openTransferSocket: () => bindUdp({ service: 'TFTP transfer', address, port: 0 }),
      closeTransferSocket: closeUdp,
      onTransfer: (event) => ctx.bus.emit('tftp.transfer', event),
    });
    socket.on('message', (msg, rinfo) => server.handle(msg, rinfo));
    socket.on('error', (err) => ctx.log.error(`TFTP main socket error: ${err.message}`));
    server.start();
    const port = socket.address().port;
    this.socket = socket;
    this.server = server;
    this.ctx = ctx;
    ctx.runtime.tftpPort = port;
    const blk = Math.min(mtuBlockSize, config.maxBlockSize);
    return {
      listening: [`udp ${ctx.network.address}:${port}`],
      summary: `serving ${ctx.bootRoot} read-only; blksize up to ${blk} (MTU ${mtu}), windowsize up to ${config.maxWindowSize}`,
    };
  }

  /** Counters (requests, malformed packets dropped, refusals, transfers), read through supervisor.report(). */
  report(): TftpStats {
    return this.server ? { ...this.server.stats } : emptyTftpStats();
  }

  /** Stops serving and takes back what start() published (the port /api/status and DHCP read). */
  async stop(): Promise<void> {
    await this.server?.stop();
    await closeUdp(this.socket);
    if (this.server && this.ctx) this.ctx.runtime.tftpPort = null;
    this.socket = undefined;
    this.server = undefined;
    this.ctx = undefined;
  }
}
