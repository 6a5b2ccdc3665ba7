import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Netns, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { Lan, startHarness, tempDir } from './lan.js';

const skip = netnsUnavailableReason();

test(
  'full mode refuses to start beside another DHCP server; auto picks full once it is gone',
  { skip, timeout: 420_000 },
  async () => {
    const lan = Lan.create();
    const srv = Netns.create('blsrv');
    const other = Netns.create('bldns');
    const data = tempDir('bootlab-dhcp-data-');
    try {
      lan.attach(srv, '10.77.0.1/24');
      lan.attach(other, '10.77.0.2/24');
      const log = join(data.path, 'dnsmasq.log');
      const dnsmasq = other.spawn('dnsmasq', [
        '--no-daemon',
        '--port=0',
        '--interface=eth0',
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
      const base = { interface: 'eth0', bootRoot: data.path, dataDir: data.path };

      const refused = await startHarness(srv, {
        ...base,
        dhcp: { mode: 'full', probeSeconds: 3 },
      }).ready.catch((e: Error) => ({ ok: 'exit', e }));
      assert.ok(refused.ok === false, JSON.stringify(refused));
      assert.equal(refused.error.code, 'DHCP_SERVER_PRESENT');
      assert.match(refused.error.message, /10\.77\.0\.2 already hands out addresses/);

      // The host's own DHCP client holds port 68 exclusively: the probe asks as a relay agent and still finds it.
      const blocker = srv.spawn(process.execPath, [
        '-e',
        "require('dgram').createSocket('udp4').bind(68, '0.0.0.0', () => console.log('bound'))",
      ]);
      let blocked = false;
      blocker.stdout!.once('data', () => (blocked = true));
      await waitFor('port 68 blocker', () => blocked || undefined);
      const viaRelay = startHarness(srv, { ...base, dhcp: { mode: 'auto', probeSeconds: 3 } });
      const v = await viaRelay.ready;
      assert.ok(v.ok, JSON.stringify(v));
      assert.match(
        String(v.info.summary),
        /^proxy mode: auto chose proxy: 10\.77\.0\.2 already hands out addresses/,
      );
      assert.equal((v.info.status as { probe: { relay: boolean } }).probe.relay, true);
      await viaRelay.stop();
      blocker.kill('SIGKILL');

      // Forced (the user confirmed): starts without probing.
      const forced = startHarness(srv, { ...base, dhcp: { mode: 'full', forceFull: true } });
      const f = await forced.ready;
      assert.ok(
        f.ok && /^full mode: configured as the DHCP server \(forced/.test(String(f.info.summary)),
        JSON.stringify(f),
      );
      await forced.stop();

      dnsmasq.kill('SIGKILL');
      await new Promise((r) => dnsmasq.once('exit', r));
      const auto = startHarness(srv, { ...base, dhcp: { mode: 'auto', probeSeconds: 2 } });
      const a = await auto.ready;
      assert.ok(a.ok, JSON.stringify(a));
      assert.match(
        String(a.info.summary),
        /^full mode: auto chose full: no other DHCP server answered within 2 s, pool 10\.77\.0\.100–10\.77\.0\.199/,
      );
      await auto.stop();
    } finally {
      srv.destroy();
      other.destroy();
      lan.destroy();
      data.cleanup();
    }
  },
);
