import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BootPayload } from './boot-payload.js';
import { LAB, type LabNet } from './lab-net.js';
import { waitFor } from './netns.js';

/**
 * The reference boot stack the lab is proven with and the benchmark compares against: dnsmasq for DHCP and
 * TFTP (the usual iPXE chainloading recipe: user-class "iPXE" gets the HTTP script, everyone else the first
 * stage for its architecture) and nginx as a plain HTTP server, both on br0 in the lab namespace.
 */
export const REFERENCE_HTTP_PORT = 8080;

export interface ReferenceOptions {
  payload: BootPayload;
  /** The kernel command line the script passes (carries the boot's marker). */
  cmdline: string;
  /**
   * First stage for x86-64 UEFI clients that are not iPXE yet (OVMF's own PXE): ipxe.efi (all drivers, the
   * usual recipe; default) or snponly.efi (drives the NIC through the firmware's SNP, what Bootlab hands out).
   */
  efiFirstStage?: 'ipxe.efi' | 'snponly.efi';
  /**
   * Boot-matrix recipes (issue 16), each the usual dnsmasq way:
   * - arm64FirstStage: an ARM64 iPXE build handed to arch 11 as ipxe-arm64.efi;
   * - httpBoot: vendor class HTTPClient gets option 60 HTTPClient + http://…/snponly.efi (UEFI HTTP Boot);
   * - secureBootMac: this MAC gets shimx64.efi (grubx64.efi + grub/grub.cfg beside it, kernel over TFTP).
   */
  arm64FirstStage?: string;
  httpBoot?: boolean;
  secureBootMac?: string;
}

export class ReferenceStack {
  readonly httpBase = `http://${LAB.server}:${REFERENCE_HTTP_PORT}`;
  private readonly children: ChildProcess[] = [];
  private grub = false;
  readonly log: string[] = [];

  private constructor(
    private readonly lab: LabNet,
    readonly www: string,
    readonly tftp: string,
  ) {}

  static async start(lab: LabNet, opts: ReferenceOptions): Promise<ReferenceStack> {
    const www = lab.dir('ref-www');
    const tftp = lab.dir('ref-tftp');
    const stack = new ReferenceStack(lab, www, tftp);
    copyFileSync(opts.payload.kernel, join(www, 'vmlinuz'));
    copyFileSync(opts.payload.initrd, join(www, 'initrd.gz'));
    for (const f of ['undionly.kpxe', 'ipxe.efi', 'snponly.efi'])
      copyFileSync(`/usr/lib/ipxe/${f}`, join(tftp, f));
    if (opts.arm64FirstStage) copyFileSync(opts.arm64FirstStage, join(tftp, 'ipxe-arm64.efi'));
    if (opts.httpBoot) copyFileSync('/usr/lib/ipxe/snponly.efi', join(www, 'snponly.efi'));
    if (opts.secureBootMac) {
      copyFileSync('/usr/lib/shim/shimx64.efi.signed', join(tftp, 'shimx64.efi'));
      copyFileSync('/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed', join(tftp, 'grubx64.efi'));
      copyFileSync(opts.payload.kernel, join(tftp, 'vmlinuz'));
      copyFileSync(opts.payload.initrd, join(tftp, 'initrd.gz'));
      mkdirSync(join(tftp, 'grub'), { recursive: true });
      stack.grub = true;
    }
    stack.setCmdline(opts.cmdline);
    try {
      stack.startNginx();
      stack.startDnsmasq(opts.efiFirstStage ?? 'ipxe.efi', opts);
      await waitFor(
        'nginx serving boot.ipxe in the lab',
        () =>
          lab.ns.tryRun('curl', ['-sf', '-o', '/dev/null', `${stack.httpBase}/boot.ipxe`], 5_000).status ===
          0,
        10_000,
      );
      // dnsmasq reports a bad option by exiting at once: say so instead of booting into silence.
      await new Promise((r) => setTimeout(r, 200));
      if (stack.children.some((c) => c.exitCode !== null || c.signalCode !== null)) {
        throw new Error(`a reference server exited at start:\n${stack.log.join('').slice(-2000)}`);
      }
    } catch (err) {
      stack.stop();
      throw err;
    }
    return stack;
  }

  /**
   * Rewrites the iPXE script for the next boot. `initrd=initrd.gz` lets the kernel's EFI stub find the
   * initrd through iPXE's virtual file system (needed with Debian's 2019 ipxe.efi, which predates the
   * LoadFile2 initrd protocol; ignored on BIOS).
   */
  setCmdline(cmdline: string): void {
    // The signed GRUB reads (tftp,server)/grub/grub.cfg (its prefix is /grub); dnsmasq serves "/x" from the root.
    if (this.grub)
      writeFileSync(
        join(this.tftp, 'grub', 'grub.cfg'),
        `set timeout=0\nmenuentry "payload" {\n  linux /vmlinuz ${cmdline}\n  initrd /initrd.gz\n}\n`,
      );
    writeFileSync(
      join(this.www, 'boot.ipxe'),
      [
        '#!ipxe',
        `kernel ${this.httpBase}/vmlinuz initrd=initrd.gz ${cmdline}`,
        `initrd ${this.httpBase}/initrd.gz`,
        'boot',
        '',
      ].join('\n'),
    );
  }

  private startNginx(): void {
    const dir = this.lab.dir('ref-nginx');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off;
master_process off;
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen ${LAB.server}:${REFERENCE_HTTP_PORT};
    root ${this.www};
  }
}
`,
    );
    this.spawn('nginx', ['-c', conf, '-p', dir, '-e', 'stderr']);
  }

  private startDnsmasq(efiFirstStage: string, opts: ReferenceOptions): void {
    const leases = join(this.lab.dir('ref-dnsmasq'), 'leases');
    const args = [
      '--keep-in-foreground',
      `--conf-file=${this.lab.emptyConf()}`,
      '--port=0',
      `--interface=${LAB.bridge}`,
      '--bind-interfaces',
      `--dhcp-range=${LAB.poolStart},${LAB.poolEnd},1h`,
      `--dhcp-leasefile=${leases}`,
      '--pid-file=',
      '--log-facility=-',
      '--log-dhcp',
      '--enable-tftp',
      `--tftp-root=${this.tftp}`,
      // iPXE sends user-class "iPXE" (opt 77): the loop-breaker (ipxe.org/howto/chainloading).
      '--dhcp-userclass=set:ipxe,iPXE',
      // opt 93 client arch: 7 = EFI x86-64, 0 = BIOS.
      '--dhcp-match=set:efi64,option:client-arch,7',
      `--dhcp-boot=tag:!ipxe,tag:efi64,tag:!sb,${efiFirstStage}`,
      `--dhcp-boot=tag:ipxe,${this.httpBase}/boot.ipxe`,
      // Matrix recipes; the tag sets exclude each other (dnsmasq takes the last matching dhcp-boot).
      '--dhcp-match=set:arm64,option:client-arch,11',
      '--dhcp-boot=tag:!ipxe,tag:arm64,ipxe-arm64.efi',
      '--dhcp-vendorclass=set:httpboot,HTTPClient',
      `--dhcp-boot=tag:!ipxe,tag:httpboot,${this.httpBase}/snponly.efi`,
      '--dhcp-option-force=tag:httpboot,60,HTTPClient',
    ];
    if (opts.secureBootMac)
      args.push(
        `--dhcp-host=${opts.secureBootMac},set:sb`,
        '--dhcp-boot=tag:!ipxe,tag:efi64,tag:sb,shimx64.efi',
      );
    // BIOS clients that are not iPXE yet (a real PC's PXE ROM) get undionly.kpxe. QEMU's BIOS ROM already
    // is iPXE, so in this lab BIOS boots go straight to the script.
    args.push('--dhcp-boot=tag:!ipxe,tag:!efi64,tag:!arm64,tag:!httpboot,undionly.kpxe');
    this.spawn('dnsmasq', args);
  }

  private spawn(cmd: string, args: string[]): void {
    const child = this.lab.ns.spawn(cmd, args);
    const keep = (d: Buffer): void => {
      this.log.push(d.toString('utf8'));
      if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push(child);
  }

  stop(): void {
    for (const c of this.children) c.kill('SIGKILL');
    this.children.length = 0;
  }
}
