import { connect, type Socket } from 'node:net';

/**
 * A minimal QMP client (QEMU Machine Protocol, docs/interop/qmp-spec): connect to the unix socket, read the
 * greeting, send qmp_capabilities, then one command at a time. Used for reset and a clean quit.
 */
export async function qmpCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<unknown> {
  const sock: Socket = connect(socketPath);
  try {
    return await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      let buf = '';
      let step = 0;
      sock.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      sock.on('data', (chunk) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as {
            QMP?: unknown;
            return?: unknown;
            error?: { desc: string };
            event?: string;
          };
          if (msg.event) continue; // asynchronous events (RESET, SHUTDOWN) are not answers
          if (step === 0 && msg.QMP) {
            step = 1;
            sock.write('{"execute":"qmp_capabilities"}\n');
          } else if (step === 1) {
            step = 2;
            sock.write(JSON.stringify({ execute: command }) + '\n');
          } else if (step === 2) {
            clearTimeout(timer);
            if (msg.error) reject(new Error(`QMP ${command}: ${msg.error.desc}`));
            else resolve(msg.return);
          }
        }
      });
      // "quit" may close the socket before answering.
      sock.on('close', () => {
        clearTimeout(timer);
        if (step === 2 && command === 'quit') resolve(undefined);
        else if (step < 2) reject(new Error(`QMP socket closed before ${command} was sent`));
      });
    });
  } finally {
    sock.destroy();
  }
}
