import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { capture } from '../../unit/dhcp/fixtures.js';
import { clientScripts, Lan, runAsync, startHarness, tempDir, udhcpcOnce, type Harness } from './lan.js';

const here = dirname(fileURLToPath(import.meta.url));
const skip = netnsUnavailableReason();

interface Reply {
  from: string;
  port: number;
  type: number;
  yiaddr: string;
  siaddr: string;
  file: string;
  bootfile?: string;
  vendorClass?: string;
  has43: boolean;
}

async function pxeClient(ns: Netns, args: Record<string, unknown>): Promise<Reply[]> {
  const r = await runAsync(ns, process.execPath, [
    '--import',
    'tsx',
    join(here, 'pxe-client.ts'),
    JSON.stringify(args),
  ]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as Reply[];
}

test(
  'proxy mode (chosen by auto) beside dnsmasq: address from dnsmasq, boot file from Bootlab, 4011 answered',
  { skip, timeout: 300_000 },
  async () => {
    const lan = Lan.create();
    const srv = Netns.create('blsrv');
    const other = Netns.create('bldns');
    const cl = Netns.create('blcl');
    const scripts = clientScripts();
    const data = tempDir('bootlab-dhcp-data-');
    let h: Harness | undefined;
    try {
      lan.attach(srv, '10.77.0.1/24');
      lan.attach(other, '10.77.0.2/24');
      lan.attach(cl, null, 'eth0', '52:54:00:12:34:56');
      const dnsmasqLog = join(scripts.dir, 'dnsmasq.log');
      // The site's DHCP server: addresses only, no PXE, no DNS.
      other.spawn('dnsmasq', [
        '--no-daemon',
        '--port=0',
        '--interface=eth0',
        '--bind-interfaces',
        '--dhcp-range=10.77.0.100,10.77.0.150,1h',
        '--no-ping',
        '--leasefile-ro',
        `--log-facility=${dnsmasqLog}`,
        '--log-dhcp',
      ]);
      await waitFor(
        'dnsmasq',
        () => (existsSync(dnsmasqLog) && /IP range/.test(readFileSync(dnsmasqLog, 'utf8'))) || undefined,
      );

      h = startHarness(srv, {
        interface: 'eth0',
        bootRoot: data.path,
        dataDir: data.path,
        httpPort: 8080,
        dhcp: { mode: 'auto', probeSeconds: 3 },
      });
      const ready = await h.ready;
      assert.ok(ready.ok, JSON.stringify(ready));
      assert.match(
        String(ready.info.summary),
        /^proxy mode: auto chose proxy: 10\.77\.0\.2 already hands out addresses/,
      );
      assert.deepEqual(ready.info.listening, ['udp 0.0.0.0:67', 'udp 10.77.0.1:4011']);

      // A plain client gets its address from dnsmasq; Bootlab stays silent.
      const u = await runAsync(cl, 'busybox', udhcpcOnce(scripts.udhcpc));
      assert.equal(u.code, 0, u.stderr);
      const bound = readFileSync(scripts.log, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('bound'))!;
      assert.match(bound, /ip=10\.77\.0\.1\d\d .*serverid=10\.77\.0\.2/);
      const ip = /ip=(\S+)/.exec(bound)![1]!;

      // The test client uses a UDP socket (real firmware uses raw frames): give the limited broadcast a route.
      cl.run('ip', ['route', 'add', '255.255.255.255/32', 'dev', 'eth0']);
      // OVMF's PXE DISCOVER (captured): two offers, an address from dnsmasq and boot information from Bootlab.
      const offers = await pxeClient(cl, {
        packet: capture('ovmf-pxe', 3).toString('hex'),
        mac: '52:54:00:12:34:56',
        seconds: 3,
      });
      const fromDnsmasq = offers.find((o) => o.from === '10.77.0.2');
      const fromBootlab = offers.find((o) => o.from === '10.77.0.1');
      assert.ok(fromDnsmasq && fromDnsmasq.yiaddr.startsWith('10.77.0.1'), JSON.stringify(offers));
      assert.ok(fromBootlab, JSON.stringify(offers));
      assert.deepEqual(
        [
          fromBootlab.type,
          fromBootlab.yiaddr,
          fromBootlab.siaddr,
          fromBootlab.file,
          fromBootlab.vendorClass,
          fromBootlab.has43,
        ],
        [2, '0.0.0.0', '10.77.0.1', 'snponly.efi', 'PXEClient', true],
      );

      // UEFI firmware then asks the proxy on 4011 from port 4011 (PXE spec 2.1): ACK to that source port.
      const acks = await pxeClient(cl, {
        packet: capture('ovmf-pxe', 4).toString('hex'),
        mac: '52:54:00:12:34:56',
        seconds: 2,
        to: '10.77.0.1:4011',
        bind: `${ip}:4011`,
        ciaddr: ip,
      });
      assert.deepEqual(
        acks.map((a) => [a.from, a.port, a.type, a.file]),
        [['10.77.0.1', 4011, 5, 'snponly.efi']],
      );

      // iPXE (captured ROM DISCOVER) gets the boot script URL from the proxy.
      const ipxe = await pxeClient(cl, {
        packet: capture('seabios-ipxe-rom', 0).toString('hex'),
        mac: '52:54:00:12:34:56',
        seconds: 3,
      });
      assert.equal(ipxe.find((o) => o.from === '10.77.0.1')?.bootfile, 'http://10.77.0.1:8080/boot.ipxe');
      assert.ok(
        h.events('dhcp.drop').some((e) => e.reason === 'not-a-pxe-client'),
        "udhcpc's DISCOVER was ignored",
      );
    } finally {
      await h?.stop().catch(() => undefined);
      for (const ns of [srv, other, cl]) ns.destroy();
      lan.destroy();
      scripts.cleanup();
      data.cleanup();
    }
  },
);
