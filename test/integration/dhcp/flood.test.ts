import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientRequest, encodePacket } from '../../../services/dhcp/codec.js';
import { MSG, OPT, u8 } from '../../../services/dhcp/options.js';
import { Netns, netnsUnavailableReason } from '../../helpers/netns.js';
import { clientScripts, Lan, runAsync, startHarness, tempDir, type Harness } from './lan.js';

const here = dirname(fileURLToPath(import.meta.url));
const skip = netnsUnavailableReason();
const logLines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];

/** busybox udhcpc for one lease, bounded by the test's functional requirement: a lease within 10 s. */
async function leaseWithin10s(ns: Netns, script: string): Promise<{ code: number | null; ms: number }> {
  const start = Date.now();
  const r = await runAsync(
    ns,
    'busybox',
    ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '5', '-T', '2', '-s', script],
    10_000,
  );
  return { code: r.code, ms: Date.now() - start };
}

/** The harness's server on the LAN's eth0 (HTTP on 8080, events quiet), with these DHCP settings. */
const serverOptions = (dir: string, dhcp: Record<string, unknown>): Record<string, unknown> => ({
  interface: 'eth0',
  bootRoot: dir,
  dataDir: dir,
  httpPort: 8080,
  quietEvents: true,
  dhcp,
});

/** 20,000 frames in ~10 s from 10.77.0.250, to this LAN's own server only (its broadcast address on port 67). */
const runFlood = (ns: Netns): ReturnType<typeof runAsync> =>
  runAsync(
    ns,
    process.execPath,
    [
      '--import',
      'tsx',
      join(here, 'flooder.ts'),
      JSON.stringify({ frames: 20_000, seconds: 10, bind: '10.77.0.250:6800', to: '10.77.0.255:67' }),
    ],
    40_000,
  );

test(
  'full mode: during and after a flood of random-MAC DISCOVERs and garbage, a real udhcpc gets a lease within 10 s',
  { skip, timeout: 120_000 },
  async () => {
    const lan = Lan.create();
    const srv = Netns.create('blfsrv');
    const flood = Netns.create('blflood');
    const c1 = Netns.create('blfc1');
    const c2 = Netns.create('blfc2');
    const scripts = clientScripts();
    const data = tempDir('bootlab-dhcp-flood-');
    let h: Harness | undefined;
    try {
      lan.attach(srv, '10.77.0.1/24');
      lan.attach(flood, '10.77.0.250/24');
      lan.attach(c1, null, 'eth0', '52:54:00:aa:cc:01');
      lan.attach(c2, null, 'eth0', '52:54:00:aa:cc:02');
      // The setup: a 100-address pool, the default address check (ARP cache, then ping).
      h = startHarness(
        srv,
        serverOptions(data.path, {
          mode: 'full',
          probeSeconds: 1,
          pool: { start: '10.77.0.100', end: '10.77.0.199' },
        }),
      );
      const ready = await h.ready;
      assert.ok(ready.ok, JSON.stringify(ready));

      const flooder = runFlood(flood);
      await new Promise((r) => setTimeout(r, 3000));
      const during = await leaseWithin10s(c1, scripts.udhcpc);
      const floodDone = await flooder;
      assert.equal(floodDone.code, 0, floodDone.stderr);
      const floodResult = JSON.parse(floodDone.stdout) as {
        sent: number;
        seconds: number;
        counts: Record<string, number>;
      };
      const after = await leaseWithin10s(c2, scripts.udhcpc);

      const bound = logLines(scripts.log).filter((l) => l.startsWith('bound'));
      const lines = await h.stop();
      const status = JSON.parse(lines.find((l) => l.startsWith('STATUS '))!.slice(7)) as {
        stats: { received: number; replied: number; dropped: number; dropReasons: Record<string, number> };
      };
      const leases = JSON.parse(lines.find((l) => l.startsWith('LEASES '))!.slice(7)) as { mac: string }[];
      const report = {
        flood: floodResult,
        duringMs: during.ms,
        afterMs: after.ms,
        stats: status.stats,
        leases: leases.length,
      };
      process.stdout.write(`# flood: ${JSON.stringify(report)}\n`);

      assert.equal(floodResult.sent, 20_000);
      assert.equal(
        during.code,
        0,
        `udhcpc during the flood got no lease within 10 s: ${JSON.stringify(report)}`,
      );
      assert.equal(
        after.code,
        0,
        `udhcpc after the flood got no lease within 10 s: ${JSON.stringify(report)}`,
      );
      assert.equal(bound.length, 2, bound.join('\n'));
      for (const l of bound) assert.match(l, /^bound ip=10\.77\.0\.1\d\d mask=24 /);
      // Only the two real machines hold leases: offers to the flood's random MACs were never written.
      assert.deepEqual(leases.map((l) => l.mac).sort(), ['52:54:00:aa:cc:01', '52:54:00:aa:cc:02']);
      // Frames without a usable MAC got no offer and were counted as drops, by reason.
      const r = status.stats.dropReasons;
      for (const reason of ['no-client-mac', 'bad-mac-length', 'zero-mac', 'multicast-mac'])
        assert.ok((r[reason] ?? 0) > 0, `${reason} counted: ${JSON.stringify(r)}`);
      const noIdentity = r['no-client-mac']! + r['bad-mac-length']! + r['zero-mac']! + r['multicast-mac']!;
      const c = floodResult.counts;
      const sentNoIdentity =
        (c['hlen-0'] ?? 0) +
        (c['hlen-16'] ?? 0) +
        (c['zero-mac'] ?? 0) +
        (c['broadcast-mac'] ?? 0) +
        (c['multicast-mac'] ?? 0);
      // The kernel may drop a few datagrams when the socket buffer overflows; none is answered either way.
      const lost = floodResult.sent - status.stats.received + 2 * 6; // the two udhcpc's own frames count too
      assert.ok(
        noIdentity <= sentNoIdentity && noIdentity >= sentNoIdentity - Math.max(0, lost),
        `${noIdentity} of ${sentNoIdentity}`,
      );
      assert.equal(r['pool-full'] ?? 0, 0, 'the pool never ran full');
    } finally {
      await h?.stop().catch(() => undefined);
      for (const ns of [c1, c2, flood, srv]) ns.destroy();
      lan.destroy();
      scripts.cleanup();
      data.cleanup();
    }
  },
);

test(
  'proxy mode: after the same flood, a PXE client still gets its proxy offer',
  { skip, timeout: 120_000 },
  async () => {
    const lan = Lan.create();
    const srv = Netns.create('blfpsrv');
    const flood = Netns.create('blfpfl');
    const cl = Netns.create('blfpcl');
    const data = tempDir('bootlab-dhcp-flood-proxy-');
    let h: Harness | undefined;
    try {
      lan.attach(srv, '10.77.0.1/24');
      lan.attach(flood, '10.77.0.250/24');
      lan.attach(cl, '10.77.0.60/24', 'eth0', '52:54:00:aa:cc:03');
      h = startHarness(srv, serverOptions(data.path, { mode: 'proxy' }));
      const ready = await h.ready;
      assert.ok(ready.ok, JSON.stringify(ready));
      const flooded = await runFlood(flood);
      assert.equal(flooded.code, 0, flooded.stderr);
      const packet = encodePacket(
        clientRequest('02:00:00:00:00:00', 1, [
          [OPT.messageType, u8(MSG.DISCOVER)],
          [OPT.vendorClass, Buffer.from('PXEClient:Arch:00000:UNDI:002001')],
          [93, Buffer.from([0, 0])],
        ]),
      ).toString('hex');
      const r = await runAsync(cl, process.execPath, [
        '--import',
        'tsx',
        join(here, 'pxe-client.ts'),
        JSON.stringify({ packet, mac: '52:54:00:aa:cc:03', seconds: 2, to: '10.77.0.255:67' }),
      ]);
      assert.equal(r.code, 0, r.stderr);
      const replies = JSON.parse(r.stdout.trim()) as { type: number; file: string; bootfile?: string }[];
      assert.equal(replies.length, 1, JSON.stringify(replies));
      assert.equal(replies[0]!.type, MSG.OFFER);
      assert.equal(replies[0]!.file || replies[0]!.bootfile, 'undionly.kpxe');
      const lines = await h.stop();
      const status = JSON.parse(lines.find((l) => l.startsWith('STATUS '))!.slice(7)) as {
        stats: { dropReasons: Record<string, number> };
      };
      for (const reason of ['no-client-mac', 'zero-mac', 'multicast-mac'])
        assert.ok((status.stats.dropReasons[reason] ?? 0) > 0, `${reason} counted`);
    } finally {
      await h?.stop().catch(() => undefined);
      for (const ns of [cl, flood, srv]) ns.destroy();
      lan.destroy();
      data.cleanup();
    }
  },
);
