import type { Socket } from 'node:dgram';
import type { BootService, ServiceContext, StartResult } from '../core/service.js';
import { bindUdp, closeUdp } from '../net/sockets.js';

/** Placeholder: binds the DHCP ports and reports state. The DHCP issue replaces it with the real server. */
export class DhcpService implements BootService {
  readonly name = 'dhcp' as const;
  private sockets: Socket[] = [];

  async start(ctx: ServiceContext): Promise<StartResult> {
    const { port, proxyPort, mode } = ctx.profile.dhcp;
    if (mode === 'off') return { listening: [], summary: 'DHCP is off: clients need another DHCP server' };
    this.sockets.push(await bindUdp({ service: 'DHCP server', address: '0.0.0.0', port, reuseAddr: true, broadcast: true }));
    this.sockets.push(await bindUdp({ service: 'PXE boot server', address: ctx.network.address, port: proxyPort }));
    return { listening: [`udp 0.0.0.0:${port}`, `udp ${ctx.network.address}:${proxyPort}`], summary: `mode ${mode}` };
  }

  async stop(): Promise<void> {
    await Promise.all(this.sockets.map((s) => closeUdp(s)));
    this.sockets = [];
  }
}
