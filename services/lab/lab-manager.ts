import type { EventBus } from '../core/bus.js';
import { BootlabError } from '../shared/errors.js';
import type { Logger } from '../core/logger.js';
import type { Runtime } from '../core/runtime.js';
import type { LabCapabilities, TestBootRequest, TestBootVm } from './views.js';
import { findLabTools, LAB_FIRMWARES, type LabNetwork } from './qemu-args.js';
import { QemuVm } from './qemu-runner.js';
import { createTap, deleteTap, tapUnavailableReason } from './tap.js';

/**
 * The app's "Test boot" feature: starts QEMU VMs as clients of the running Bootlab, streams their consoles
 * on the bus (`lab.console`), follows the VM's client session (statistics) into a stage timeline, and offers
 * reset/stop/input. The API routes (services/api/routes/lab.ts) are thin wrappers around this class.
 */
export interface LabManagerDeps {
  bus: EventBus;
  runtime: Runtime;
  log: Logger;
  /** The interface the boot services listen on (the active profile's), or null. */
  servedInterface: () => string | null;
  /** At most this many VMs at once (each TCG VM keeps a core busy). Default 2. */
  maxVms?: number;
}

interface Entry {
  vm: QemuVm;
  info: TestBootVm;
  tap?: string;
  scrollback: string;
  unsubscribe: (() => void)[];
}

const SCROLLBACK = 128 * 1024;

export class LabManager {
  private readonly vms = new Map<string, Entry>();

  constructor(private readonly deps: LabManagerDeps) {}

  capabilities(): LabCapabilities {
    const why = (firmware: TestBootRequest['firmware']): string | undefined => {
      try {
        findLabTools({ firmware, nic: 'virtio' });
        return undefined;
      } catch (err) {
        return err instanceof BootlabError ? `${err.message} ${err.hint}` : String(err);
      }
    };
    const firmware = Object.fromEntries(LAB_FIRMWARES.map((f) => [f, why(f)])) as LabCapabilities['firmware'];
    return {
      qemu: firmware.bios === undefined || !/qemu-system/.test(firmware.bios),
      firmware,
      bridge: tapUnavailableReason(this.deps.servedInterface()),
    };
  }

  list(): TestBootVm[] {
    return [...this.vms.values()].map((e) => this.snapshot(e));
  }

  get(id: string): TestBootVm {
    return this.snapshot(this.entry(id));
  }

  consoleBuffer(id: string): string {
    return this.entry(id).scrollback;
  }

  async start(req: TestBootRequest): Promise<TestBootVm> {
    const running = [...this.vms.values()].filter((e) => e.vm.running()).length;
    const max = this.deps.maxVms ?? 2;
    if (running >= max) {
      throw new BootlabError(
        'BAD_REQUEST',
        `${running} test-boot VMs are already running (the limit is ${max}).`,
        'Stop one of them first.',
      );
    }
    findLabTools(req); // missing QEMU/OVMF/ROM: a clear error before anything is created
    const bridgeWhy = tapUnavailableReason(this.deps.servedInterface());
    let network: LabNetwork;
    let note: string | undefined;
    let tap: string | undefined;
    if (req.network !== 'user' && bridgeWhy === undefined) {
      tap = await createTap(this.deps.servedInterface()!);
      network = { mode: 'tap', ifname: tap };
    } else {
      if (req.network === 'bridge') {
        throw new BootlabError(
          'BAD_REQUEST',
          `The VM cannot join the lab bridge: ${bridgeWhy}.`,
          'Choose user networking, or serve a bridge as root.',
        );
      }
      if (req.firmware === 'uefi') {
        throw new BootlabError(
          'BAD_REQUEST',
          `OVMF's own PXE client needs the lab bridge, which is not available: ${bridgeWhy}.`,
          'Choose "UEFI with iPXE ROM" (boots Bootlab\'s HTTP menu over user networking), or run Bootlab as root on a bridge.',
        );
      }
      const base = this.deps.runtime.httpBase();
      if (!base)
        throw new BootlabError(
          'BAD_REQUEST',
          'The HTTP service is not running, so the VM has no menu to boot.',
          'Start the HTTP service first.',
        );
      // In QEMU user networking the guest reaches the host's loopback as 10.0.2.2 (slirp's host alias).
      const guestBase = base.replace(/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)(?=[:/]|$)/, 'http://10.0.2.2');
      network = { mode: 'user', bootUrl: `${guestBase}/boot.ipxe` };
      note = `QEMU user networking (${bridgeWhy}): QEMU's own DHCP hands iPXE Bootlab's menu URL, so Bootlab's DHCP and TFTP are not being exercised.`;
    }

    const vm = new QemuVm({ ...req, network, bus: this.deps.bus, noReboot: false });
    const info: TestBootVm = {
      id: vm.id,
      firmware: req.firmware,
      nic: req.nic,
      memoryMb: req.memoryMb,
      mac: vm.spec.mac,
      network: tap ? 'bridge' : 'user',
      note,
      state: 'running',
      startedAt: new Date().toISOString(),
      stages: [],
    };
    const entry: Entry = { vm, info, tap, scrollback: '', unsubscribe: [] };
    entry.unsubscribe.push(
      vm.onConsole((data) => {
        entry.scrollback = (entry.scrollback + data).slice(-SCROLLBACK);
      }),
    );
    this.followServerEvents(entry);
    try {
      vm.start();
    } catch (err) {
      if (tap) await deleteTap(tap);
      entry.unsubscribe.forEach((u) => u());
      throw err;
    }
    this.vms.set(vm.id, entry);
    this.deps.log.info(
      `test boot ${vm.id} started: ${req.firmware}, ${req.nic}, ${req.memoryMb} MB, ${info.network} networking, MAC ${info.mac}`,
    );
    void vm.waitForExit().then(async (exit) => {
      info.state = 'exited';
      info.exitCode = exit.code;
      entry.unsubscribe.forEach((u) => u());
      if (tap) await deleteTap(tap);
      this.deps.bus.emit('lab.console', {
        vmId: vm.id,
        data: `\r\n[Bootlab: the VM exited (code ${exit.code ?? exit.signal})]\r\n`,
        state: 'exited',
        exitCode: exit.code,
        stages: vm.timeline.summary().map((s) => ({ stage: s.stage, atMs: s.atMs })),
      });
      this.deps.log.info(
        `test boot ${vm.id} exited (code ${exit.code ?? exit.signal}); stages: ${vm.timeline.format() || 'none'}`,
      );
    });
    return this.snapshot(entry);
  }

  write(id: string, data: string): void {
    this.entry(id).vm.write(data);
  }

  async reset(id: string): Promise<TestBootVm> {
    const e = this.entry(id);
    await e.vm.reset();
    return this.snapshot(e);
  }

  async stop(id: string): Promise<TestBootVm> {
    const e = this.entry(id);
    await e.vm.stop();
    await e.vm.waitForExit();
    return this.snapshot(e);
  }

  /** Stops every VM (host shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.vms.values()].map((e) => e.vm.stop()));
  }

  /** The statistics' session for this VM's MAC feeds its stage timeline (one join, in stats/sessions.ts). */
  private followServerEvents(e: Entry): void {
    e.unsubscribe.push(
      this.deps.bus.on('client.session', (s) => {
        if (s.mac === e.info.mac) e.vm.timeline.session(s, e.vm.elapsed());
      }),
    );
  }

  private entry(id: string): Entry {
    const e = this.vms.get(id);
    if (!e)
      throw new BootlabError(
        'NOT_FOUND',
        `There is no test-boot VM "${id}".`,
        'Start a test boot first; the list shows the running ones.',
      );
    return e;
  }

  private snapshot(e: Entry): TestBootVm {
    return { ...e.info, stages: e.vm.timeline.summary() };
  }
}
