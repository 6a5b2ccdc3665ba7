import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, Netns, netnsUnavailableReason } from '../../helpers/netns.js';
import { clientScripts, runAsync, startHarness, tempDir, udhcpcOnce, type Harness } from './lan.js';

const skip = netnsUnavailableReason();

test(
  'two interfaces, default route on the other one: the lease still reaches the client',
  { skip, timeout: 420_000 },
  async () => {
    const srv = Netns.create('blsrv');
    const bench = Netns.create('blcl');
    const wifi = Netns.create('blwifi');
    const scripts = clientScripts();
    const data = tempDir('bootlab-dhcp-data-');
    let h: Harness | undefined;
    try {
      // eth1 stands for the laptop's Wi-Fi and carries the default route; eth0 is the bench cable.
      connect(srv, '10.88.0.1/24', wifi, '10.88.0.2/24', { a: 'eth1', b: 'eth0' });
      srv.run('ip', ['route', 'add', 'default', 'via', '10.88.0.2', 'dev', 'eth1']);
      connect(srv, '10.77.0.1/24', bench, null, { a: 'eth0', b: 'eth0' });
      assert.match(
        srv.run('ip', ['route', 'get', '255.255.255.255']),
        /dev eth1/,
        'broadcasts would follow the default route',
      );
      h = startHarness(srv, {
        interface: 'eth0',
        bootRoot: data.path,
        dataDir: data.path,
        dhcp: { mode: 'full', probeSeconds: 1, addressCheck: 'arp' },
      });
      const ready = await h.ready;
      assert.ok(ready.ok, JSON.stringify(ready));
      const r = await runAsync(bench, 'busybox', udhcpcOnce(scripts.udhcpc));
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        readFileSync(scripts.log, 'utf8'),
        /^bound ip=10\.77\.0\.100 mask=24 .*serverid=10\.77\.0\.1/m,
      );
    } finally {
      await h?.stop().catch(() => undefined);
      for (const ns of [srv, bench, wifi]) ns.destroy();
      scripts.cleanup();
      data.cleanup();
    }
  },
);
