import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { blockSizeForMtu, mtuOf } from './negotiate.js';
import { TftpServer, type TftpStats } from './server.js';

/** The TFTP boot service: read-only, options blksize/tsize/timeout/windowsize, virtual files first. */
export class TftpService implements BootService {
  readonly name = 'tftp' as const;
  private server: TftpServer | undefined;
  private ctx: ServiceContext | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const config = ctx.profile.tftp;
    const mtu = mtuOf(ctx.network.iface.name);
    const mtuBlockSize = blockSizeForMtu(mtu);
    const server = new TftpServer({
      address: ctx.network.address,
      port: config.port,
      bootRoot: ctx.bootRoot,
      config,
      mtuBlockSize,
      runtime: ctx.runtime,
      bus: ctx.bus,
      log: ctx.log,
    });
    const port = await server.start();
    this.server = server;
    this.ctx = ctx;
    ctx.runtime.tftpPort = port;
    const blk = Math.min(mtuBlockSize, config.maxBlockSize);
    return {
      listening: [`udp ${ctx.network.address}:${port}`],
      summary: `serving ${ctx.bootRoot} read-only; blksize up to ${blk} (MTU ${mtu}), windowsize up to ${config.maxWindowSize}`,
    };
  }

  /** Counters for the status page: requests, malformed packets dropped, refusals, transfers. */
  stats(): TftpStats | undefined {
    return this.server ? { ...this.server.stats } : undefined;
  }

  /** Stops serving and takes back what start() published (the port /api/status and DHCP read). */
  async stop(): Promise<void> {
    await this.server?.stop();
    if (this.server && this.ctx) this.ctx.runtime.tftpPort = null;
    this.server = undefined;
    this.ctx = undefined;
  }
}
