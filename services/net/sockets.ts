import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIPv4, type Server } from 'node:net';
import { explainBindError } from './bind-errors.js';

/**
 * dgram's default lookup runs dns.lookup for every send, even to an IP literal, and hands the answer back on
 * process.nextTick: a deferred callback per packet (TFTP sends one per block). Bootlab sends to literals
 * (a client's source address, broadcast), so those resolve at once and the packet leaves inside send();
 * names still go through dns.lookup.
 */
function literalFirstLookup(
  hostname: string,
  options: LookupOneOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  if (isIPv4(hostname)) callback(null, hostname, 4);
  else dnsLookup(hostname, options, callback);
}

export interface UdpBindOptions {
  service: string;
  address: string;
  port: number;
  /** Share the port with another socket (DHCP receives on 0.0.0.0:67 and sends from <addr>:67). */
  reuseAddr?: boolean;
  broadcast?: boolean;
}

/** Binds a UDP socket; a failure becomes a BootlabError that says what to do (privileges, port in use). */
export function bindUdp(opts: UdpBindOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({
      type: 'udp4',
      reuseAddr: opts.reuseAddr ?? false,
      lookup: literalFirstLookup,
    });
    const onError = (err: Error): void => {
      socket.close();
      reject(
        explainBindError(err, {
          service: opts.service,
          transport: 'udp',
          address: opts.address,
          port: opts.port,
        }),
      );
    };
    socket.once('error', onError);
    socket.bind({ address: opts.address, port: opts.port, exclusive: !opts.reuseAddr }, () => {
      socket.off('error', onError);
      if (opts.broadcast) socket.setBroadcast(true);
      resolve(socket);
    });
  });
}

export function closeUdp(socket: Socket | undefined): Promise<void> {
  if (!socket) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/** Starts a TCP server listening; returns the port actually bound (useful with port 0). */
export function listenTcp(
  server: Server,
  opts: { service: string; address: string; port: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        explainBindError(err, {
          service: opts.service,
          transport: 'tcp',
          address: opts.address,
          port: opts.port,
        }),
      );
    };
    server.once('error', onError);
    server.listen(opts.port, opts.address, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : opts.port);
    });
  });
}

export function closeTcp(server: Server | undefined): Promise<void> {
  if (!server || !server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
