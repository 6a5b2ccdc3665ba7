import type { Socket } from 'node:dgram';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { bindUdp, closeUdp } from '../net/sockets.js';

/** Placeholder: binds the TFTP port and reports state. The TFTP issue replaces it with the real server. */
export class TftpService implements BootService {
  readonly name = 'tftp' as const;
  private socket: Socket | undefined;

  async start(ctx: ServiceContext): Promise<StartResult> {
    this.socket = await bindUdp({ service: 'TFTP server', address: ctx.network.address, port: ctx.profile.tftp.port });
    ctx.runtime.tftpPort = this.socket.address().port;
    return { listening: [`udp ${ctx.network.address}:${ctx.runtime.tftpPort}`] };
  }

  async stop(): Promise<void> {
    await closeUdp(this.socket);
    this.socket = undefined;
  }
}
