import type { Socket } from 'node:dgram';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { bindUdp, closeUdp } from '../net/sockets.js';
import { parseSyslog } from './parse.js';

/** Receives syslog datagrams (iPXE's console lines) and reports each as a `syslog.line` event. */
export class SyslogService implements BootService {
  readonly name = 'syslog' as const;
  private socket: Socket | undefined;
  dropped = 0;

  async start(ctx: ServiceContext): Promise<StartResult> {
    const { port } = ctx.profile.syslog;
    this.socket = await bindUdp({ service: 'syslog receiver', address: ctx.network.address, port });
    this.socket.on('message', (msg, rinfo) => {
      const parsed = parseSyslog(msg);
      if (!parsed) {
        this.dropped++;
        return;
      }
      ctx.bus.emit('syslog.line', { from: rinfo.address, ...parsed });
    });
    this.socket.on('error', (err) => ctx.log.warn(`syslog socket error: ${err.message}`));
    ctx.runtime.syslogPort = this.socket.address().port;
    return { listening: [`udp ${ctx.network.address}:${ctx.runtime.syslogPort}`] };
  }

  async stop(): Promise<void> {
    await closeUdp(this.socket);
    this.socket = undefined;
  }
}
