import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabFirmware } from '../../services/lab/qemu-args.js';
import { markerCmdline, newMarker, type BootPayload } from './boot-payload.js';
import { bootToMarker, type LabBootResult } from './lab-boot.js';
import { LAB, type LabNet } from './lab-net.js';

/**
 * Runs Bootlab itself (the real CLI, `services/cli.ts`) inside the lab namespace, serving br0, in quick
 * mode: `bootlab boot --kernel K --initrd I --cmdline C` hands that one entry to every client. Waits for its
 * "Bootlab ready: <url>" line.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BOOTLAB_HTTP_PORT = 8080;

export interface BootlabLabOptions {
  payload: BootPayload;
  cmdline: string;
  dhcp: 'full' | 'proxy';
  /** Per-host first-stage overrides, written to the profile (dhcp.overrides). */
  overrides?: { mac: string; bootFile: string }[];
  /**
   * boot (default): quick mode, `bootlab boot --kernel --initrd --cmdline`. serve: `bootlab serve` with the
   * payload copied into the boot root and a menu whose default entry (1 s timeout) boots it.
   */
  command?: 'boot' | 'serve';
  /** Profile dhcp.secureBoot: which machines get the signed chain (shim -> GRUB) instead of iPXE. */
  secureBoot?: { allMachines?: boolean; hosts?: { mac: string; chain: 'signed' | 'ipxe' }[] };
  /** Services to start (`--services`); default all. Leave out tftp to prove a path needs no TFTP. */
  services?: string[];
  /** Extra files copied into the boot root: name in the boot root -> source path (e.g. an ARM64 iPXE). */
  bootRootFiles?: Record<string, string>;
}

export class BootlabInLab {
  readonly output: string[] = [];
  url = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
  ) {}

  static async start(lab: LabNet, opts: BootlabLabOptions): Promise<BootlabInLab> {
    const dataDir = lab.dir(`bootlab-data-${Date.now()}`);
    const bootRoot = lab.dir(`bootlab-root-${Date.now()}`);
    // First stages in the boot root too, in case the servers do not provide the system's iPXE builds.
    for (const f of ['undionly.kpxe', 'ipxe.efi', 'snponly.efi']) {
      if (existsSync(`/usr/lib/ipxe/${f}`)) copyFileSync(`/usr/lib/ipxe/${f}`, join(bootRoot, f));
    }
    for (const [name, src] of Object.entries(opts.bootRootFiles ?? {}))
      copyFileSync(src, join(bootRoot, name));
    const command = opts.command ?? 'boot';
    const profile: Record<string, unknown> = {};
    if (command === 'serve') {
      mkdirSync(join(bootRoot, 'payload'), { mode: 0o755 });
      copyFileSync(opts.payload.kernel, join(bootRoot, 'payload', 'vmlinuz'));
      copyFileSync(opts.payload.initrd, join(bootRoot, 'payload', 'initrd.gz'));
      profile.menu = {
        root: 'main',
        autoRescue: false,
        menus: [
          {
            id: 'main',
            title: 'Bootlab lab test',
            timeout: 1,
            default: 'payload',
            entries: [
              {
                id: 'payload',
                kind: 'linux',
                label: 'Lab payload',
                kernel: 'payload/vmlinuz',
                initrds: ['payload/initrd.gz'],
                cmdline: opts.cmdline,
              },
              { id: 'shell', kind: 'shell', label: 'iPXE shell' },
            ],
          },
        ],
      };
    }
    const dhcp: Record<string, unknown> = { mode: opts.dhcp, probeSeconds: 1 };
    if (opts.dhcp === 'full') dhcp.pool = { start: LAB.poolStart, end: LAB.poolEnd };
    if (opts.overrides) dhcp.overrides = opts.overrides;
    if (opts.secureBoot) dhcp.secureBoot = opts.secureBoot;
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify(
        {
          version: 1,
          activeProfile: 'default',
          profiles: {
            default: { ...profile, interface: LAB.bridge, bootRoot, dhcp, http: { port: BOOTLAB_HTTP_PORT } },
          },
        },
        null,
        2,
      ),
    );
    const args = ['--import', 'tsx', join(ROOT, 'services', 'cli.ts'), command];
    args.push('--data-dir', dataDir, '--interface', LAB.bridge, '--dhcp', opts.dhcp);
    if (opts.dhcp === 'full') args.push('--pool', `${LAB.poolStart}-${LAB.poolEnd}`);
    args.push('--boot-root', bootRoot, '--ui-port', '0', '--http-port', String(BOOTLAB_HTTP_PORT));
    if (opts.services) args.push('--services', opts.services.join(','));
    if (command === 'boot') {
      args.push('--kernel', opts.payload.kernel, '--initrd', opts.payload.initrd, '--cmdline', opts.cmdline);
    }
    const child = lab.ns.spawn(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
    const bl = new BootlabInLab(child, dataDir);
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`bootlab did not print "Bootlab ready" within 60 s:\n${bl.tail()}`)),
        60_000,
      );
      const onData = (d: Buffer): void => {
        bl.keep(d);
        const m = /Bootlab ready: (\S+)/.exec(bl.output.join(''));
        if (m?.[1]) {
          bl.url = m[1];
          clearTimeout(timer);
          ok();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (d: Buffer) => bl.keep(d));
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`bootlab exited (code ${code}) before it was ready:\n${bl.tail()}`));
      });
    });
    return bl;
  }

  /** The last lines bootlab printed (for failure messages). */
  tail(chars = 4000): string {
    return this.output.join('').slice(-chars);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  }

  private keep(d: Buffer): void {
    this.output.push(d.toString('utf8'));
    if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
  }
}

/**
 * One Bootlab boot: starts Bootlab (quick mode, this boot's marker in the command line), boots a VM to
 * the marker, stops Bootlab. On failure the error carries Bootlab's own output too.
 */
export async function bootFromBootlab(
  lab: LabNet,
  opts: Omit<BootlabLabOptions, 'cmdline' | 'payload'> & {
    payload: BootPayload;
    firmware: LabFirmware;
    mac?: string;
    /** Runs after the marker while Bootlab still runs (e.g. to read its API). */
    onBooted?: (bl: BootlabInLab) => void | Promise<void>;
  },
): Promise<LabBootResult & { bootlabOutput: string }> {
  const marker = newMarker();
  const bl = await BootlabInLab.start(lab, { ...opts, cmdline: markerCmdline(marker) });
  try {
    const r = await bootToMarker(lab, { firmware: opts.firmware, marker, mac: opts.mac });
    await opts.onBooted?.(bl);
    return { ...r, bootlabOutput: bl.tail() };
  } catch (err) {
    const e = err as Error & { hint?: string };
    e.message += `\n--- bootlab output (end) ---\n${bl.tail(3000)}\n--- side namespace dnsmasq (end) ---\n${lab.sideLog(3000)}`;
    throw e;
  } finally {
    await bl.stop();
  }
}

/** A `bootlab serve` started by serveInLab: the child, its API base, token and UI address, all it printed. */
export interface ServeInLab {
  child: ChildProcess;
  api: string;
  token: string;
  uiUrl: string;
  output: string[];
}

/**
 * Starts `bootlab serve --data-dir <dataDir> --ui-port 0 <extraArgs>` inside the lab namespace (the profile
 * already written to <dataDir>/config.json) and waits up to 60 s for its ready line.
 */
export async function serveInLab(
  lab: LabNet,
  dataDir: string,
  extraArgs: string[] = [],
): Promise<ServeInLab> {
  const output: string[] = [];
  const child = lab.ns.spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'services', 'cli.ts'),
      'serve',
      '--data-dir',
      dataDir,
      '--ui-port',
      '0',
      ...extraArgs,
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  return new Promise<ServeInLab>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`bootlab did not start:\n${output.join('')}`));
    }, 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      output.push(d.toString());
      const m = /Bootlab ready: (http:\/\/[^\s#]+)\/#token=(\S+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        ok({ child, api: m[1]!, token: m[2]!, uiUrl: `${m[1]!}/#token=${m[2]!}`, output });
      }
    });
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`bootlab exited (${code}):\n${output.join('')}`));
    });
  });
}

/** Stops a process a lab test started (SIGTERM) and waits until it has exited; nothing when it already has. */
export async function stopLabProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Writes <dataDir>/config.json with one active profile ("default") that serves the lab bridge, HTTP on
 * port 8080, and `profile` (bootRoot, dhcp, menu, library...). Returns the file's path.
 */
export function writeLabProfile(dataDir: string, profile: Record<string, unknown>): string {
  const path = join(dataDir, 'config.json');
  const config = {
    version: 1,
    activeProfile: 'default',
    profiles: { default: { interface: LAB.bridge, http: { port: BOOTLAB_HTTP_PORT }, ...profile } },
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}
