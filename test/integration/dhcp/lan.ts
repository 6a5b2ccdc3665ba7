import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, uniqueName, waitFor } from '../../helpers/netns.js';

const here = dirname(fileURLToPath(import.meta.url));

/** A switch: a bridge in its own namespace; attach() plugs a namespace into it with an optional address. */
export class Lan {
  readonly sw = Netns.create('blsw');
  private constructor() {
    this.sw.run('ip', ['link', 'add', 'br0', 'type', 'bridge']);
    this.sw.run('ip', ['link', 'set', 'br0', 'up']);
  }
  static create(): Lan {
    return new Lan();
  }
  attach(ns: Netns, addr: string | null, ifName = 'eth0', mac?: string): void {
    const a = uniqueName('la');
    const b = uniqueName('lb');
    execFileSync('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
    execFileSync('ip', ['link', 'set', a, 'netns', ns.name]);
    execFileSync('ip', ['link', 'set', b, 'netns', this.sw.name]);
    this.sw.run('ip', ['link', 'set', b, 'master', 'br0']);
    this.sw.run('ip', ['link', 'set', b, 'up']);
    ns.run('ip', ['link', 'set', a, 'name', ifName]);
    if (mac) ns.run('ip', ['link', 'set', ifName, 'address', mac]);
    if (addr) ns.run('ip', ['addr', 'add', addr, 'dev', ifName]);
    ns.run('ip', ['link', 'set', ifName, 'up']);
  }
  destroy(): void {
    this.sw.destroy();
  }
}

/** A started Bootlab DHCP service in a namespace, with its output lines. */
export interface Harness {
  child: ChildProcess;
  lines: string[];
  ready: Promise<
    { ok: true; info: Record<string, unknown> } | { ok: false; error: { code: string; message: string } }
  >;
  events(type?: string): Record<string, unknown>[];
  stop(): Promise<string[]>;
}

export function startHarness(ns: Netns, args: Record<string, unknown>): Harness {
  const child = ns.spawn(process.execPath, [
    '--import',
    'tsx',
    join(here, 'harness.ts'),
    JSON.stringify(args),
  ]);
  const lines: string[] = [];
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<Awaited<Harness['ready']>>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith('READY ')) resolve({ ok: true, info: JSON.parse(line.slice(6)) });
        if (line.startsWith('ERROR ')) resolve({ ok: false, error: JSON.parse(line.slice(6)) });
      }
    });
    child.once('exit', (code) => reject(new Error(`harness exited ${code}: ${stderr}`)));
    // Bounded, so a stuck start fails the test (and its finally cleans up) instead of hanging it.
    setTimeout(
      () => reject(new Error(`harness not ready after 60 s: ${stderr.slice(-500)}`)),
      60_000,
    ).unref();
  });
  ready.catch(() => undefined);
  return {
    child,
    lines,
    ready,
    events: (type) =>
      lines
        .filter((l) => l.startsWith('EVENT '))
        .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>)
        .filter((e) => !type || e.type === type),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitFor(
          'harness exit',
          () => child.exitCode !== null || child.signalCode !== null || undefined,
          10_000,
        ).catch((e: Error) => {
          throw new Error(`${e.message}: ${lines.slice(-3).join(' | ')} ${stderr.slice(-500)}`);
        });
      }
      return lines;
    },
  };
}

/** A temp dir with a udhcpc script that logs "<event> ip=… siaddr=… boot_file=… serverid=…" and configures the address. */
export function clientScripts(): {
  dir: string;
  udhcpc: string;
  dhclient: string;
  log: string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-dhcpc-'));
  const log = join(dir, 'events.log');
  const udhcpc = join(dir, 'udhcpc.sh');
  writeFileSync(
    udhcpc,
    `#!/bin/sh\necho "$1 ip=$ip mask=$mask siaddr=$siaddr boot_file=$boot_file serverid=$serverid router=$router" >> ${log}\n` +
      `case "$1" in bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface";; esac\nexit 0\n`,
  );
  const dhclient = join(dir, 'dhclient.sh');
  writeFileSync(
    dhclient,
    `#!/bin/sh\necho "$reason ip=$new_ip_address server=$new_dhcp_server_identifier file=$new_filename" >> ${log}\n` +
      `case "$reason" in BOUND|RENEW|REBOOT) ip addr add "$new_ip_address/24" dev "$interface" 2>/dev/null;; esac\nexit 0\n`,
  );
  chmodSync(udhcpc, 0o755);
  chmodSync(dhclient, 0o755);
  return { dir, udhcpc, dhclient, log, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs a command in a namespace without blocking the event loop (the harness keeps printing meanwhile). */
export function runAsync(
  ns: Netns,
  cmd: string,
  args: string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = ns.spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** busybox udhcpc arguments for one lease and exit (-q), failing after 5 tries 2 s apart (-n -t 5 -T 2). */
export function udhcpcOnce(script: string): string[] {
  return ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-s', script];
}
