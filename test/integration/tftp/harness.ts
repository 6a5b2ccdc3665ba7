import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { EventBus } from '../../../services/core/bus.js';
import type { TftpTransferEvent } from '../../../services/shared/events.js';
import { createLogger } from '../../../services/core/logger.js';
import { profileSchema, type ProfileInput } from '../../../services/profile.js';
import { Runtime } from '../../../services/core/runtime.js';
import type { ServiceContext } from '../../../services/core/service.js';
import { resolveInterface } from '../../../services/net/interfaces.js';
import { TftpService } from '../../../services/tftp/service.js';

/**
 * Starts the real TftpService through a ServiceContext, the way the host does, on a high port of the
 * given interface (loopback by default). Collects the tftp.transfer events for assertions.
 */
export interface TestTftp {
  port: number;
  service: TftpService;
  runtime: Runtime;
  events: TftpTransferEvent[];
  ends(): TftpTransferEvent[];
  stop(): Promise<void>;
}

export async function startTestTftp(opts: {
  bootRoot: string;
  ifname?: string;
  tftp?: NonNullable<ProfileInput['tftp']>;
  quiet?: boolean;
}): Promise<TestTftp> {
  const bus = new EventBus();
  const events: TftpTransferEvent[] = [];
  bus.on('tftp.transfer', (e) => events.push(e));
  const runtime = new Runtime();
  const ifname = opts.ifname ?? 'lo';
  const ctx: ServiceContext = {
    profile: profileSchema.parse({ interface: ifname, bootRoot: opts.bootRoot, tftp: opts.tftp ?? {} }),
    bus,
    log: createLogger(bus, 'tftp', { quiet: opts.quiet ?? true }),
    network: resolveInterface(ifname),
    bootRoot: opts.bootRoot,
    dataDir: opts.bootRoot,
    runtime,
  };
  const service = new TftpService();
  // A random high port; the schema (rightly) refuses port 0, so retry on the rare collision.
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    ctx.profile = profileSchema.parse({
      interface: ifname,
      bootRoot: opts.bootRoot,
      tftp: { ...opts.tftp, port },
    });
    try {
      await service.start(ctx);
      break;
    } catch (err) {
      if (attempt > 20 || (err as { code?: string }).code !== 'PORT_IN_USE') throw err;
    }
  }
  return {
    port: runtime.tftpPort!,
    service,
    runtime,
    events,
    ends: () => events.filter((e) => e.phase === 'end'),
    stop: () => service.stop(),
  };
}

/** Runs a client without blocking the event loop (the server under test lives in this process). */
export function run(
  cmd: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as NodeJS.ErrnoException).code === 'number'
          ? Number((err as NodeJS.ErrnoException).code)
          : 1
        : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/** Client command lines for the three real clients. */
export const clients = {
  curl: (host: string, port: number, file: string, out: string, blksize?: number): [string, string[]] => [
    'curl',
    [
      '-sS',
      '--fail',
      ...(blksize ? ['--tftp-blksize', String(blksize)] : []),
      '-o',
      out,
      `tftp://${host}:${port}/${file}`,
    ],
  ],
  atftp: (
    host: string,
    port: number,
    file: string,
    out: string,
    options: Record<string, number> = {},
  ): [string, string[]] => [
    'atftp',
    [
      '-g',
      '-r',
      file,
      '-l',
      out,
      ...Object.entries(options).flatMap(([k, v]) => ['--option', `${k} ${v}`]),
      host,
      String(port),
    ],
  ],
  /** tftp-hpa defaults to netascii ("ascii"); pass mode 'binary' for octet. */
  tftpHpa: (
    host: string,
    port: number,
    file: string,
    out: string,
    mode: 'binary' | 'ascii' = 'binary',
  ): [string, string[]] => ['tftp', ['-m', mode, host, String(port), '-c', 'get', file, out]],
};
