import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Netns, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { clientScripts, Lan, runAsync, startHarness, tempDir, udhcpcOnce, type Harness } from './lan.js';

const skip = netnsUnavailableReason();
const logLines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];

test(
  'full mode: udhcpc and dhclient get leases, renew, and keep them across a restart',
  { skip, timeout: 300_000 },
  async () => {
    const lan = Lan.create();
    const srv = Netns.create('blsrv');
    const c1 = Netns.create('blc1');
    const c2 = Netns.create('blc2');
    const scripts = clientScripts();
    const data = tempDir('bootlab-dhcp-data-');
    const args = {
      interface: 'eth0',
      bootRoot: data.path,
      dataDir: data.path,
      httpPort: 8080,
      dhcp: {
        mode: 'full',
        probeSeconds: 1,
        pool: { start: '10.77.0.100', end: '10.77.0.110' },
        router: '10.77.0.1',
        dns: ['10.77.0.1'],
      },
    };
    let h: Harness | undefined;
    try {
      lan.attach(srv, '10.77.0.1/24');
      lan.attach(c1, null, 'eth0', '52:54:00:aa:bb:01');
      lan.attach(c2, null, 'eth0', '52:54:00:aa:bb:02');
      h = startHarness(srv, args);
      const ready = await h.ready;
      assert.ok(ready.ok, JSON.stringify(ready));
      assert.match(
        String(ready.info.summary),
        /^full mode: configured as the DHCP server; no other DHCP server answered/,
      );

      // udhcpc: one-shot lease.
      const r1 = await runAsync(c1, 'busybox', udhcpcOnce(scripts.udhcpc));
      assert.equal(r1.code, 0, r1.stderr);
      const bound = logLines(scripts.log).find((l) => l.startsWith('bound'));
      assert.match(
        bound ?? '',
        /^bound ip=10\.77\.0\.100 mask=24 .*serverid=10\.77\.0\.1 router=10\.77\.0\.1/,
      );

      // udhcpc renew: SIGUSR1 makes it send a unicast REQUEST from its address (RENEWING).
      const long = c1.spawn('busybox', [
        'udhcpc',
        '-i',
        'eth0',
        '-f',
        '-t',
        '5',
        '-T',
        '2',
        '-s',
        scripts.udhcpc,
      ]);
      await waitFor(
        'second bound',
        () => logLines(scripts.log).filter((l) => l.startsWith('bound')).length >= 2 || undefined,
        20_000,
      );
      long.kill('SIGUSR1');
      await waitFor('renew', () => logLines(scripts.log).find((l) => l.startsWith('renew')), 20_000);
      long.kill('SIGKILL');
      assert.match(
        logLines(scripts.log).find((l) => l.startsWith('renew'))!,
        /ip=10\.77\.0\.100 /,
      );

      // dhclient on the second machine: a lease, then INIT-REBOOT with the same lease file.
      const lf = join(scripts.dir, 'dhclient.leases');
      const dh = [
        '-4',
        '-1',
        '-v',
        '-sf',
        scripts.dhclient,
        '-lf',
        lf,
        '-pf',
        join(scripts.dir, 'dh.pid'),
        'eth0',
      ];
      const d1 = await runAsync(c2, 'dhclient', dh, 40_000);
      assert.equal(d1.code, 0, d1.stderr);
      const dBound = logLines(scripts.log).find((l) => l.startsWith('BOUND'));
      assert.match(dBound ?? '', /^BOUND ip=10\.77\.0\.101 server=10\.77\.0\.1/);
      await runAsync(c2, 'dhclient', ['-x', '-pf', join(scripts.dir, 'dh.pid')]);
      c2.run('ip', ['addr', 'flush', 'dev', 'eth0']);
      const d2 = await runAsync(c2, 'dhclient', dh, 40_000);
      assert.equal(d2.code, 0, d2.stderr);
      await runAsync(c2, 'dhclient', ['-x', '-pf', join(scripts.dir, 'dh.pid')]);
      assert.ok(
        logLines(scripts.log).some((l) => /^(REBOOT|BOUND) ip=10\.77\.0\.101/.test(l) && l !== dBound) ||
          logLines(scripts.log).filter((l) => l === dBound).length >= 2,
      );

      assert.ok(h.events('dhcp.ack').length >= 4, 'ACK events');
      const lines = await h.stop();
      const leases = JSON.parse(lines.find((l) => l.startsWith('LEASES '))!.slice(7)) as {
        mac: string;
        ip: string;
      }[];
      assert.deepEqual(leases.map((l) => `${l.mac}=${l.ip}`).sort(), [
        '52:54:00:aa:bb:01=10.77.0.100',
        '52:54:00:aa:bb:02=10.77.0.101',
      ]);

      // Restart: the lease database brings back the same address for the same MAC.
      h = startHarness(srv, args);
      assert.ok((await h.ready).ok);
      c1.run('ip', ['addr', 'flush', 'dev', 'eth0']);
      const before = logLines(scripts.log).length;
      const r2 = await runAsync(c1, 'busybox', udhcpcOnce(scripts.udhcpc));
      assert.equal(r2.code, 0, r2.stderr);
      assert.match(
        logLines(scripts.log)
          .slice(before)
          .find((l) => l.startsWith('bound')) ?? '',
        /^bound ip=10\.77\.0\.100 /,
      );
    } finally {
      await h?.stop().catch(() => undefined);
      for (const ns of [srv, c1, c2]) ns.destroy();
      lan.destroy();
      scripts.cleanup();
      data.cleanup();
    }
  },
);
