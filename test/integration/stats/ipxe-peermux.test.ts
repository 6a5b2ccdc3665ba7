/**
 * iPXE's own PeerDist figure against Bootlab's count: a DEBUG=peermux:2 build of tap.linux sends a
 * `PEERMUX … downloaded N/M from P peers` line over syslog for every block (N = blocks from peers, M =
 * blocks done; src/net/peermux.c peermux_block_stat). Two downloads of one file through Bootlab's hosted
 * cache (on-demand fill, empty at the start): what iPXE reports at the end of each download must equal what
 * the hosted cache served it (0 of 46, then 46 of 46), and the session shows both figures.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { createStatsLab, SERVER, type StatsLab } from '../../helpers/stats-lab.js';
import { buildIpxe, ipxeBuildUnavailableReason } from '../../helpers/ipxe-build.js';
import type { ClientDetail, ClientSession } from '../../../services/api/contract.js';

const TARGET = 'bin-x86_64-linux/tap.linux';
const MAC = '52:54:00:12:34:57';
const BLOCKS = 46;

const EMBED = `#!ipxe
dhcp || goto failed
set syslog ${SERVER}
set peerhost ${SERVER}:8091
imgfetch --name first http://${SERVER}:8080/vmlinuz || goto failed
echo bootlab-test first done
imgfree first
imgfetch --name second http://${SERVER}:8080/vmlinuz || goto failed
echo bootlab-test second done
imgfree second
echo bootlab-test all done
exit
:failed
echo bootlab-test failed \${errno}
exit
`;

const why = netnsUnavailableReason() ?? ipxeBuildUnavailableReason({ target: TARGET });
let lab: StatsLab | undefined;

before(async () => {
  if (why) return;
  lab = await createStatsLab({ vmlinuz: randomBytes(3_000_000) });
});

after(async () => {
  await lab?.destroy();
});

test(
  'DEBUG=peermux:2 iPXE: its reported share per download equals what the hosted cache served',
  { skip: why, timeout: 600_000 },
  async () => {
    const [tapLinux] = await buildIpxe({
      target: TARGET,
      features: ['syslog', 'peerdist'],
      debug: 'peermux:2',
      embed: EMBED,
    });
    const ipxe = lab!.ns.spawn(tapLinux!, ['--net', `tap,if=tap0,mac=${MAC}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    ipxe.stdout!.on('data', (d: Buffer) => (screen += d.toString('latin1')));
    try {
      const detail = await waitFor(
        'both downloads reported',
        () => {
          const { clients } = lab!.api<{ clients: ClientSession[] }>('/api/clients/page');
          const s = clients.find((c) => c.mac === MAC);
          if (!s) return undefined;
          const d = lab!.api<ClientDetail>(`/api/clients/${encodeURIComponent(MAC)}`);
          return d.timeline.some(
            (e) => e.text.includes('bootlab-test all done') || e.text.includes('bootlab-test failed'),
          )
            ? d
            : undefined;
        },
        180_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- iPXE screen ---\n${screen.slice(-3000)}`);
      });
      assert.ok(!detail.timeline.some((e) => e.text.includes('bootlab-test failed')), screen.slice(-2000));
      // iPXE's figure when a download's last block is done (M = 46), in order: first, then second download.
      const finals = detail.timeline
        .map((e) => /PEERMUX \S+ downloaded (\d+)\/(\d+) from (\d+) peers/.exec(e.text))
        .filter((m): m is RegExpExecArray => m !== null && Number(m[2]) === BLOCKS)
        .map((m) => ({ fromPeers: Number(m[1]), peers: Number(m[3]) }));
      assert.equal(finals.length, 2, JSON.stringify(finals));
      const server = detail.session.peerdistServer!;
      // First download: the cache held nothing, so every block came from the origin.
      assert.equal(finals[0]!.fromPeers, 0);
      // Second download: iPXE counted from peers exactly what the hosted cache served.
      assert.equal(finals[1]!.fromPeers, server.fromCache);
      assert.equal(server.fromCache, BLOCKS);
      assert.equal(server.fromOrigin, BLOCKS);
      assert.equal(finals[0]!.fromPeers + finals[1]!.fromPeers, server.fromCache);
      // The session shows iPXE's own last figure next to Bootlab's.
      assert.deepEqual(detail.session.peerdist, {
        fromPeers: BLOCKS,
        blocks: BLOCKS,
        peers: 1,
        percentFromPeers: 100,
      });
      assert.equal(server.percentFromPeers, 50);
      // Per download, on iPXE's "URL... ok" record: 0 % (cache empty), then 100 %.
      const reported = detail.files.filter((f) => f.protocol === 'syslog' && f.name.endsWith('/vmlinuz'));
      assert.deepEqual(
        reported.map((f) => f.percentFromPeers),
        [0, 100],
      );
    } finally {
      ipxe.kill('SIGKILL');
    }
  },
);
