import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventBus } from '../core/bus.js';
import { BootlabError } from '../shared/errors.js';
import { BootTimeline } from './boot-timeline.js';
import { qmpCommand } from './qmp.js';
import { SerialPacer } from './serial-pacer.js';
import { buildQemuArgs, findLabTools, randomLabMac, type LabNetwork, type LabVmSpec } from './qemu-args.js';

/**
 * One test-boot VM: starts qemu-system-x86_64 (optionally inside a network namespace), streams its serial
 * console as `lab.console` events and to listeners, records stage timings, and offers reset/stop through
 * QMP. Plain Node: the app's Test boot feature and the e2e tests both use it.
 */

export interface QemuVmOptions extends Partial<Omit<LabVmSpec, 'network'>> {
  network: LabNetwork;
  id?: string;
  /** Run QEMU inside this network namespace (`ip netns exec`), where the tap device lives. */
  netns?: string;
  bus?: EventBus;
  /** Console text that ends the boot (the e2e payload's marker line); recorded as the "marker" stage. */
  marker?: string;
}

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Console lines after which the awaited text can no longer come (SeaBIOS gave up, the kernel died). */
const DEAD_ENDS = [
  /No bootable device\./, // SeaBIOS tried every boot device
  /Kernel panic - not syncing/,
  /UEFI Interactive Shell/, // OVMF found nothing to boot (e.g. no driver for the NIC)
  /Minimal BASH-like line editing is supported/, // GRUB found no grub.cfg and fell to its command line
];

type ConsoleListener = (data: string, atMs: number) => void;

export class QemuVm {
  readonly id: string;
  readonly spec: LabVmSpec;
  readonly timeline: BootTimeline;
  private child: ChildProcess | null = null;
  private stateDir: string | null = null;
  private startedAt = 0;
  private stderr = '';
  private exitInfo: VmExit | null = null;
  private exitPromise: Promise<VmExit> | null = null;
  private readonly listeners = new Set<ConsoleListener>();
  private readonly pacer = new SerialPacer((data) => this.child?.stdin?.write(data));

  constructor(private readonly opts: QemuVmOptions) {
    this.id = opts.id ?? `vm-${randomBytes(3).toString('hex')}`;
    this.spec = {
      firmware: opts.firmware ?? 'bios',
      nic: opts.nic ?? 'virtio',
      memoryMb: opts.memoryMb ?? 512,
      mac: (opts.mac ?? randomLabMac()).toLowerCase(),
      network: opts.network,
      accel: opts.accel ?? 'tcg',
      noReboot: opts.noReboot ?? false,
    };
    this.timeline = new BootTimeline(opts.marker);
  }

  /** The qemu command line this VM runs (for logs and the UI's "details"). */
  commandLine(): string[] {
    const tools = findLabTools(this.spec);
    return [tools.qemu, ...buildQemuArgs(this.spec, tools, this.stateDir ?? '<state>')];
  }

  /** Starts QEMU. Throws a BootlabError when QEMU or the firmware is missing (with the packages to install). */
  start(): void {
    if (this.child) throw new Error(`${this.id} is already running`);
    const tools = findLabTools(this.spec);
    this.stateDir = mkdtempSync(join(tmpdir(), `bootlab-${this.id}-`));
    if (tools.ovmfVars) copyFileSync(tools.ovmfVars, join(this.stateDir, 'vars.fd')); // OVMF writes its NVRAM
    const args = buildQemuArgs(this.spec, tools, this.stateDir);
    const [cmd, argv] = this.opts.netns
      ? ['ip', ['netns', 'exec', this.opts.netns, tools.qemu, ...args]]
      : [tools.qemu, args];
    this.startedAt = performance.now();
    const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdin?.on('error', () => {}); // typing into a VM that just exited must not crash the host
    child.stdout?.setEncoding('latin1');
    child.stdout?.on('data', (data: string) => this.handleConsole(data));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (data: string) => {
      this.stderr = (this.stderr + data).slice(-8_000);
    });
    this.exitPromise = new Promise<VmExit>((resolve) => {
      child.once('error', (err) => {
        this.stderr += String(err);
        this.exitInfo = { code: null, signal: null };
        this.cleanup();
        resolve(this.exitInfo);
      });
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.cleanup();
        resolve(this.exitInfo);
      });
    });
  }

  /** ms since start(). */
  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** Subscribes to raw console output (with its time since start); returns the unsubscribe function. */
  onConsole(listener: ConsoleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private handleConsole(data: string): void {
    const t = this.elapsed();
    this.timeline.console(data, t);
    this.opts.bus?.emit('lab.console', { vmId: this.id, data });
    for (const l of this.listeners) l(data, t);
  }

  /** Types into the serial console (the UI terminal's keystrokes), paced so no key is lost. */
  write(data: string): void {
    this.pacer.push(data);
  }

  consoleText(): string {
    return this.timeline.consoleText();
  }

  running(): boolean {
    return this.child !== null && this.exitInfo === null;
  }

  /**
   * Resolves with the ms since start when `text` has appeared on the console (escapes removed). Rejects
   * when QEMU exits first or after timeoutMs, quoting the end of the console and QEMU's stderr.
   */
  async waitForConsole(text: string, timeoutMs: number): Promise<number> {
    const found = (): boolean => this.consoleText().includes(text);
    if (found()) return this.elapsed();
    return new Promise<number>((resolve, reject) => {
      let off = (): void => {};
      const timer = setTimeout(() => {
        off();
        reject(
          this.failure(`"${text}" did not appear on the console within ${Math.round(timeoutMs / 1000)} s`),
        );
      }, timeoutMs);
      const done = (fn: () => void): void => {
        clearTimeout(timer);
        off();
        fn();
      };
      off = this.onConsole((_d, t) => {
        if (found()) done(() => resolve(t));
        const dead = DEAD_ENDS.find((re) => re.test(this.consoleText()));
        if (dead)
          done(() => reject(this.failure(`the boot reached a dead end ("${dead.source}") before "${text}"`)));
      });
      void this.exitPromise?.then((exit) => {
        // Give the last console bytes a moment to be read before deciding.
        setTimeout(() => {
          if (found()) done(() => resolve(this.elapsed()));
          else
            done(() =>
              reject(
                this.failure(
                  `QEMU exited (code ${exit.code}, signal ${exit.signal}) before "${text}" appeared`,
                ),
              ),
            );
        }, 50);
      });
    });
  }

  waitForExit(): Promise<VmExit> {
    if (!this.exitPromise) throw new Error(`${this.id} was never started`);
    return this.exitPromise;
  }

  /** Hard reset, like the reset button of a PC (QMP system_reset). */
  async reset(): Promise<void> {
    if (!this.running() || !this.stateDir) throw new Error(`${this.id} is not running`);
    await qmpCommand(join(this.stateDir, 'qmp.sock'), 'system_reset');
  }

  /** Stops the VM: QMP quit, then SIGTERM, then SIGKILL. Safe to call twice. */
  async stop(): Promise<void> {
    if (!this.running() || !this.child) return;
    const exited = this.exitPromise!;
    const within = (ms: number): Promise<boolean> =>
      Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
      ]);
    try {
      if (this.stateDir) await qmpCommand(join(this.stateDir, 'qmp.sock'), 'quit', 2_000);
    } catch {
      /* not answering: signals below */
    }
    if (await within(2_000)) return;
    this.child.kill('SIGTERM');
    if (await within(2_000)) return;
    this.child.kill('SIGKILL');
    await exited;
  }

  private failure(what: string): BootlabError {
    const tail = this.consoleText().slice(-1500);
    const err = this.stderr.trim();
    const tunHint = /tun|tap/i.test(err)
      ? ' Creating or opening the tap device needs root (or CAP_NET_ADMIN); without it use QEMU user networking.'
      : '';
    return new BootlabError(
      'INTERNAL',
      `Test boot ${this.id}: ${what}.${err ? ` QEMU said: ${err}` : ''}`,
      `Check the console below and the server log.${tunHint}\n--- console (end) ---\n${tail}`,
    );
  }

  private cleanup(): void {
    this.pacer.stop();
    if (this.stateDir) rmSync(this.stateDir, { recursive: true, force: true });
  }
}
