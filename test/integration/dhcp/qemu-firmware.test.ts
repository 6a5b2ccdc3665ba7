import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { startHarness, tempDir, type Harness } from './lan.js';

/**
 * Real firmware against Bootlab's DHCP: QEMU on a tap device inside a test namespace. SeaBIOS + iPXE ROM in
 * full mode must fetch the boot script URL Bootlab handed out; OVMF's own PXE client in proxy mode beside
 * dnsmasq must take its address from dnsmasq and ask Bootlab's TFTP for snponly.efi.
 * Test timeouts are well above the inner waits, so a slow machine fails a wait (and cleans up) rather than
 * timing out the test with QEMU still running.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ROM_BIOS = '/usr/lib/ipxe/qemu/pxe-e1000.rom';
const ROM_EFI = '/usr/lib/ipxe/qemu/efi-e1000.rom';
const OVMF = '/usr/share/ovmf/OVMF.fd';
const skip =
  netnsUnavailableReason() ??
  (spawnSync('qemu-system-x86_64', ['--version']).error ? 'qemu-system-x86 missing' : undefined) ??
  (!existsSync(ROM_BIOS) || !existsSync(OVMF) ? 'ipxe-qemu ROMs or OVMF missing' : undefined);

function sinks(ns: Netns, address: string): string[] {
  const lines: string[] = [];
  const child = ns.spawn(process.execPath, ['--import', 'tsx', join(here, 'boot-sinks.ts'), address]);
  child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().trim().split('\n')));
  return lines;
}

const qemuErrors: string[] = [];

function qemu(ns: Netns, extra: string[], rom: string): void {
  const child = ns.spawn('qemu-system-x86_64', [
    // TCG: KVM fails here with emulation errors under nested virtualisation; TCG works everywhere.
    '-accel',
    'tcg',
    '-m',
    '256',
    '-display',
    'none',
    '-no-reboot',
    ...extra,
    '-netdev',
    'tap,id=n0,ifname=tap0,script=no,downscript=no',
    '-device',
    `e1000,netdev=n0,mac=52:54:00:12:34:56,romfile=${rom}`,
  ]);
  child.stderr!.on('data', (d: Buffer) => qemuErrors.push(d.toString().trim()));
}

function tap(ns: Netns): void {
  ns.run('ip', ['tuntap', 'add', 'tap0', 'mode', 'tap']);
  ns.run('ip', ['link', 'set', 'tap0', 'up']);
}

test(
  'SeaBIOS + iPXE ROM, full mode: gets an address and fetches the boot script URL',
  { skip, timeout: 360_000 },
  async () => {
    const srv = Netns.create('blq');
    const data = tempDir('bootlab-dhcp-q-');
    let h: Harness | undefined;
    try {
      tap(srv);
      srv.run('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'tap0']);
      const seen = sinks(srv, '10.77.0.1');
      // A tap has no carrier (and so no usable address) until QEMU opens it: start the VM first.
      qemu(srv, ['-boot', 'n'], ROM_BIOS);
      await waitFor(
        'tap carrier',
        () => /LOWER_UP/.test(srv.run('ip', ['link', 'show', 'tap0'])) || undefined,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; qemu: ${qemuErrors.join(' | ')}`);
      });
      h = startHarness(srv, {
        interface: 'tap0',
        bootRoot: data.path,
        dataDir: data.path,
        httpPort: 8080,
        dhcp: { mode: 'full', forceFull: true, pool: { start: '10.77.0.100', end: '10.77.0.110' } },
      });
      assert.ok((await h.ready).ok);
      const get = await waitFor(
        'iPXE fetching the script',
        () => seen.find((l) => l.startsWith('HTTP /boot.ipxe')),
        150_000,
      ).catch((e: Error) => {
        throw new Error(
          `${e.message}; qemu: ${qemuErrors.join(' | ')}; sinks: ${seen.join(' | ')}; events: ${JSON.stringify(h?.events())}`,
        );
      });
      assert.match(get, /^HTTP \/boot\.ipxe (::ffff:)?10\.77\.0\.100$/);
      const ack = h.events('dhcp.ack').find((e) => e.mac === '52:54:00:12:34:56');
      assert.deepEqual(
        [ack?.ip, ack?.isIpxe, ack?.arch, ack?.bootFile],
        ['10.77.0.100', true, 0, 'http://10.77.0.1:8080/boot.ipxe'],
      );
    } finally {
      await h?.stop().catch(() => undefined);
      srv.destroy();
      data.cleanup();
    }
  },
);

test(
  "OVMF's PXE client, proxy mode beside dnsmasq: address from dnsmasq, snponly.efi from Bootlab",
  { skip: skip ?? (existsSync(ROM_EFI) ? undefined : 'efi ROM missing'), timeout: 420_000 },
  async () => {
    const srv = Netns.create('blq');
    const site = Netns.create('blqd');
    const data = tempDir('bootlab-dhcp-q-');
    let h: Harness | undefined;
    try {
      // One segment: bridge br0 (Bootlab 10.77.0.1) with the VM's tap and a veth to the site's dnsmasq (10.77.0.2).
      tap(srv);
      srv.run('ip', ['link', 'add', 'br0', 'type', 'bridge']);
      srv.run('ip', ['link', 'set', 'tap0', 'master', 'br0']);
      srv.run('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'br0']);
      srv.run('ip', ['link', 'set', 'br0', 'up']);
      spawnSync('ip', ['link', 'add', 'vq0', 'type', 'veth', 'peer', 'name', 'vq1']);
      spawnSync('ip', ['link', 'set', 'vq0', 'netns', srv.name]);
      spawnSync('ip', ['link', 'set', 'vq1', 'netns', site.name]);
      srv.run('ip', ['link', 'set', 'vq0', 'master', 'br0']);
      srv.run('ip', ['link', 'set', 'vq0', 'up']);
      site.run('ip', ['addr', 'add', '10.77.0.2/24', 'dev', 'vq1']);
      site.run('ip', ['link', 'set', 'vq1', 'up']);
      const log = join(data.path, 'dnsmasq.log');
      site.spawn('dnsmasq', [
        '--no-daemon',
        '--port=0',
        '--interface=vq1',
        '--bind-interfaces',
        '--dhcp-range=10.77.0.100,10.77.0.150,1h',
        '--no-ping',
        '--leasefile-ro',
        `--log-facility=${log}`,
      ]);
      await waitFor(
        'dnsmasq',
        () => (existsSync(log) && /IP range/.test(readFileSync(log, 'utf8'))) || undefined,
      );
      const seen = sinks(srv, '10.77.0.1');
      h = startHarness(srv, {
        interface: 'br0',
        bootRoot: data.path,
        dataDir: data.path,
        httpPort: 8080,
        dhcp: { mode: 'proxy' },
      });
      assert.ok((await h.ready).ok);
      qemu(srv, ['-bios', OVMF, '-boot', 'n'], ROM_EFI);
      // The iPXE EFI ROM goes first (gets the script URL, finds nothing), then OVMF's own PXE client.
      const rrq = await waitFor(
        'OVMF asking TFTP for snponly.efi',
        () => seen.find((l) => l.startsWith('TFTP snponly.efi')),
        220_000,
      ).catch((e: Error) => {
        throw new Error(
          `${e.message}; qemu: ${qemuErrors.join(' | ')}; sinks: ${seen.join(' | ')}; events: ${JSON.stringify(h?.events())}`,
        );
      });
      assert.match(rrq, /^TFTP snponly\.efi 10\.77\.0\.1\d\d$/, 'address from dnsmasq, file from Bootlab');
      const offers = h
        .events('dhcp.offer')
        .filter((e) => e.mac === '52:54:00:12:34:56' && e.isIpxe === false);
      assert.ok(
        offers.some((e) => e.mode === 'proxy' && e.arch === 7 && e.bootFile === 'snponly.efi'),
        JSON.stringify(h.events()),
      );
    } finally {
      await h?.stop().catch(() => undefined);
      srv.destroy();
      site.destroy();
      data.cleanup();
    }
  },
);
