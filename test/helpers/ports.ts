import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  return new Promise((resolve, reject) => {
    if (kind === 'tcp') {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    } else {
      const sock = createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => {
        const port = sock.address().port;
        sock.close(() => resolve(port));
      });
    }
  });
}
