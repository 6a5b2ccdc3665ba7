import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, Netns, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { decodePacket, encodePacket } from '../../../services/dhcp/codec.js';
import { decodeEncapsulated } from '../../../services/dhcp/options.js';
import { dnsmasqConfig } from '../../../services/dhcp/external-config.js';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';
import { capture } from '../../unit/dhcp/fixtures.js';
import { runAsync, tempDir } from './lan.js';

const here = dirname(fileURLToPath(import.meta.url));
const skip = netnsUnavailableReason();

test(
  '"use my existing DHCP server": a dnsmasq running the generated settings hands out the right files',
  { skip, timeout: 420_000 },
  async () => {
    const site = Netns.create('bldns');
    const cl = Netns.create('blcl');
    const dir = tempDir('bootlab-ext-');
    try {
      connect(site, '10.77.0.2/24', cl, '10.77.0.120/24');
      cl.run('ip', ['route', 'add', '255.255.255.255/32', 'dev', 'eth0']);
      const conf = join(dir.path, 'bootlab.conf');
      writeFileSync(
        conf,
        dnsmasqConfig({
          bootlabAddress: '10.77.0.1',
          httpBase: 'http://10.77.0.1:8080',
          firstStage: DEFAULT_FIRST_STAGE,
        }).text,
      );
      const log = join(dir.path, 'dnsmasq.log');
      site.spawn('dnsmasq', [
        '--no-daemon',
        '--port=0',
        '--interface=eth0',
        '--bind-interfaces',
        '--dhcp-range=10.77.0.100,10.77.0.150,1h',
        '--no-ping',
        '--leasefile-ro',
        `--conf-file=${conf}`,
        `--log-facility=${log}`,
      ]);
      await waitFor(
        'dnsmasq',
        () => (existsSync(log) && /IP range/.test(readFileSync(log, 'utf8'))) || undefined,
      );

      const ask = async (packet: Buffer, mac: string): Promise<Record<string, string>> => {
        const r = await runAsync(cl, process.execPath, [
          '--import',
          'tsx',
          join(here, 'pxe-client.ts'),
          JSON.stringify({ packet: packet.toString('hex'), mac, seconds: 2 }),
        ]);
        const replies = JSON.parse(r.stdout.trim()) as Record<string, string>[];
        assert.equal(replies.length, 1, r.stderr + r.stdout);
        return replies[0]!;
      };
      // BIOS firmware PXE (the SeaBIOS capture without its iPXE markers).
      const bios = decodePacket(capture('seabios-ipxe-rom', 0));
      bios.options.delete(77);
      bios.options.delete(175);
      const b = await ask(encodePacket(bios), '52:54:00:00:00:01');
      assert.deepEqual([b.file || b.bootfile, b.siaddr], ['undionly.kpxe', '10.77.0.1']);
      // OVMF's own PXE client: UEFI x64.
      const u = await ask(capture('ovmf-pxe', 3), '52:54:00:00:00:02');
      assert.deepEqual([u.file || u.bootfile, u.siaddr], ['snponly.efi', '10.77.0.1']);
      // iPXE: the script URL and 175.176 = 1.
      const i = await ask(capture('seabios-ipxe-rom', 0), '52:54:00:00:00:03');
      assert.equal(i.file || i.bootfile, 'http://10.77.0.1:8080/boot.ipxe');
      assert.deepEqual(decodeEncapsulated(Buffer.from(i.opt175!, 'hex')).get(176), Buffer.from([1]));
    } finally {
      site.destroy();
      cl.destroy();
      dir.cleanup();
    }
  },
);
