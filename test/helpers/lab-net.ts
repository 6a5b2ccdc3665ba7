import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, Netns, netnsUnavailableReason } from './netns.js';

/**
 * The test-boot lab, all inside network namespaces (never the host's own interfaces):
 *
 *   lab namespace                                   side namespace
 *   ┌─────────────────────────────────────┐        ┌──────────────────────────────────┐
 *   │ br0 10.77.0.1/24 fd77::1/64 ◄ server │        │ eth0 10.77.0.2/24 fd77::2/64      │
 *   │  ├─ tap0 ◄ QEMU (runs in this ns)    │        │  dnsmasq --enable-ra (always)     │
 *   │  ├─ tap1 ...                         │        │  dnsmasq DHCP, addresses only     │
 *   │  └─ vside ◄──────────── veth ────────┼────────┤  (proxy-mode tests)               │
 *   └─────────────────────────────────────┘        └──────────────────────────────────┘
 *
 * The router advertisements come from the side namespace so they never compete with the server under
 * test on br0: iPXE waits in "Configuring" for IPv6 autoconfiguration (about 13 s, also observed with
 * Debian's 2019 iPXE ROM) unless an RA arrives.
 */
export const LAB = {
  server: '10.77.0.1',
  side: '10.77.0.2',
  prefix: 24,
  poolStart: '10.77.0.100',
  poolEnd: '10.77.0.150',
  /** The side namespace's address-only DHCP server hands out these (proxy-mode tests tell them apart). */
  sidePoolStart: '10.77.0.200',
  sidePoolEnd: '10.77.0.250',
  bridge: 'br0',
} as const;

/** Why the lab cannot run here (root, ip netns, tun device), or undefined. */
export function labUnavailableReason(): string | undefined {
  return netnsUnavailableReason();
}

export class LabNet {
  private taps = 0;
  private addressOnly: ChildProcess | undefined;
  private readonly log: string[] = [];
  private readonly workDir: string;

  private constructor(
    readonly ns: Netns,
    readonly side: Netns,
  ) {
    this.workDir = mkdtempSync(join(tmpdir(), 'bootlab-lab-'));
    chmodSync(this.workDir, 0o755); // servers that drop privileges (nginx workers) read from here
  }

  static create(): LabNet {
    const ns = Netns.create('blab');
    let side: Netns | undefined;
    try {
      side = Netns.create('bside');
      const lab = new LabNet(ns, side);
      ns.run('ip', ['link', 'add', LAB.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
      ns.run('ip', ['addr', 'add', `${LAB.server}/${LAB.prefix}`, 'dev', LAB.bridge]);
      ns.run('ip', ['addr', 'add', 'fd77::1/64', 'dev', LAB.bridge, 'nodad']);
      ns.run('ip', ['link', 'set', LAB.bridge, 'up']);
      connect(ns, null, side, `${LAB.side}/${LAB.prefix}`, { a: 'vside', b: 'eth0' });
      side.run('ip', ['addr', 'add', 'fd77::2/64', 'dev', 'eth0', 'nodad']);
      ns.run('ip', ['link', 'set', 'vside', 'master', LAB.bridge]);
      lab.startRouterAdvertisements();
      return lab;
    } catch (err) {
      side?.destroy();
      ns.destroy();
      throw err;
    }
  }

  /** A new tap device on br0 for one VM; QEMU opens it by name from inside the lab namespace. */
  addTap(): string {
    const name = `tap${this.taps++}`;
    this.ns.run('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
    this.ns.run('ip', ['link', 'set', name, 'master', LAB.bridge, 'up']);
    return name;
  }

  removeTap(name: string): void {
    this.ns.tryRun('ip', ['link', 'del', name]);
  }

  /**
   * An empty dnsmasq config file of our own: dnsmasq must not read /etc/dnsmasq.conf, and /dev/null is not
   * safe to rely on (seen replaced by a regular file on a shared CI machine, "bad option at line 1").
   */
  emptyConf(): string {
    const f = join(this.workDir, 'empty.conf');
    writeFileSync(f, '');
    return f;
  }

  /** A scratch directory that destroy() removes. */
  dir(name: string): string {
    const d = join(this.workDir, name);
    mkdirSync(d, { recursive: true, mode: 0o755 });
    return d;
  }

  /** Router advertisements for fd77::/64 from the side namespace (dnsmasq, RA only: no DHCP, no DNS). */
  private startRouterAdvertisements(): void {
    const child = this.side.spawn('dnsmasq', [
      '--keep-in-foreground',
      `--conf-file=${this.emptyConf()}`,
      '--port=0',
      '--interface=eth0',
      '--bind-interfaces',
      '--enable-ra',
      '--dhcp-range=fd77::,ra-only',
      `--dhcp-leasefile=${join(this.workDir, 'ra.leases')}`,
      '--pid-file=',
      '--log-facility=-',
    ]);
    this.keepLog('ra', child);
  }

  /**
   * A DHCP server on the side namespace that hands out addresses only (no boot file, no PXE options):
   * the "someone else's DHCP" of proxy-mode tests.
   */
  startAddressOnlyDhcp(): void {
    if (this.addressOnly) return;
    const child = this.side.spawn('dnsmasq', [
      '--keep-in-foreground',
      `--conf-file=${this.emptyConf()}`,
      '--port=0',
      '--interface=eth0',
      '--bind-interfaces',
      `--dhcp-range=${LAB.sidePoolStart},${LAB.sidePoolEnd},1h`,
      '--log-dhcp',
      `--dhcp-option=option:router,${LAB.side}`,
      `--dhcp-leasefile=${join(this.workDir, 'side.leases')}`,
      '--pid-file=',
      '--log-facility=-',
    ]);
    this.keepLog('dhcp', child);
    this.addressOnly = child;
  }

  async stopAddressOnlyDhcp(): Promise<void> {
    const child = this.addressOnly;
    this.addressOnly = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }

  /** The address-only dnsmasq's lease file: "<expiry> <mac> <ip> <name> <client-id>" per line. */
  sideLeases(): { mac: string; ip: string }[] {
    let text = '';
    try {
      text = readFileSync(join(this.workDir, 'side.leases'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length >= 3)
      .map((f) => ({ mac: f[1]!.toLowerCase(), ip: f[2]! }));
  }

  /** The side namespace's dnsmasq output (RA and address-only DHCP), newest last, for failure messages. */
  sideLog(chars = 4000): string {
    return this.log.join('').slice(-chars);
  }

  private keepLog(tag: string, child: ChildProcess): void {
    const keep = (d: Buffer): void => {
      this.log.push(`[${tag}] ${d.toString('utf8')}`);
      if (this.log.length > 400) this.log.splice(0, this.log.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  destroy(): void {
    this.side.destroy();
    this.ns.destroy();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
