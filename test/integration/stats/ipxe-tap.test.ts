/**
 * A real iPXE (the Linux userspace build, bin-x86_64-linux/tap.linux, with CONSOLE_SYSLOG and
 * HTTP_ENC_PEERDIST) on a tap device inside a network namespace, against Bootlab itself (DHCP, HTTP with
 * PeerDist origin and hosted cache, syslog) in that namespace. Checks, through the API:
 * - one session for the machine with its stages timestamped and its syslog lines attached;
 * - PeerDist with `peerhost` = Bootlab's hosted cache (on-demand fill): the first download gets every block
 *   from the origin (0 % from peers, the cache holds nothing yet), the second every block from the cache;
 *   iPXE's own sha256sum of both images (over syslog) equals the file's; the server-side counts match;
 * - a restart keeps the session; the CSV export has its row.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import { createStatsLab, SERVER, type StatsLab } from '../../helpers/stats-lab.js';
import { buildIpxe, ipxeBuildUnavailableReason } from '../../helpers/ipxe-build.js';
import type { ClientDetail, ClientSession, ExportFile } from '../../../services/api/contract.js';

const TARGET = 'bin-x86_64-linux/tap.linux';
const MAC = '52:54:00:12:34:56';
const SIZE = 3_000_000; // 46 blocks of 64 KiB (docs/ipxe-notes.md §3)
const BLOCKS = 46;

const EMBED = `#!ipxe
dhcp || goto failed
set syslog ${SERVER}
set peerhost ${SERVER}:8091
imgfetch --name first http://${SERVER}:8080/vmlinuz || goto failed
sha256sum first
imgfree first
imgfetch --name second http://${SERVER}:8080/vmlinuz || goto failed
sha256sum second
imgfree second
chain http://${SERVER}:8080/boot.ipxe || goto failed
:failed
echo bootlab-test failed \${errno}
`;

const why = netnsUnavailableReason() ?? ipxeBuildUnavailableReason({ target: TARGET });
let lab: StatsLab | undefined;
const image = randomBytes(SIZE);

before(async () => {
  if (why) return;
  lab = await createStatsLab({ vmlinuz: image });
});

after(async () => {
  await lab?.destroy();
});

const api = <T>(path: string): T => lab!.api<T>(path);

test(
  'real iPXE (tap.linux): session with stages and syslog lines, PeerDist via the hosted cache, restart, CSV',
  { skip: why, timeout: 600_000 },
  async () => {
    const [tapLinux] = await buildIpxe({ target: TARGET, features: ['syslog', 'peerdist'], embed: EMBED });
    const ipxe = lab!.ns.spawn(tapLinux!, ['--net', `tap,if=tap0,mac=${MAC}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    ipxe.stdout!.on('data', (d: Buffer) => (screen += d.toString('latin1')));
    ipxe.stderr!.on('data', (d: Buffer) => (screen += d.toString('latin1')));
    try {
      const detail = await waitFor(
        'the session to reach "handed-over" or "failed" after the menu',
        () => {
          const list = api<{ clients: ClientSession[] }>('/api/clients/page');
          const s = list.clients.find((c) => c.mac === MAC);
          if (!s || (s.stage !== 'handed-over' && s.stage !== 'failed')) return undefined;
          return api<ClientDetail>(`/api/clients/${encodeURIComponent(MAC)}`);
        },
        120_000,
      ).catch((err: Error) => {
        throw new Error(
          `${err.message}\n--- iPXE screen ---\n${screen.slice(-3000)}\n--- bootlab ---\n${lab!.app.stderr().slice(-2000)}`,
        );
      });
      const s = detail.session;
      assert.equal(s.stage, 'handed-over', `stage ${s.stage}: ${s.error ?? ''}\n${screen.slice(-2000)}`);
      for (const stage of ['dhcp', 'ipxe', 'script', 'menu', 'kernel', 'handed-over'] as const)
        assert.ok(s.stageTimes?.[stage], `stage ${stage} has a time: ${JSON.stringify(s.stageTimes)}`);

      // iPXE's own sha256sum of both images, as it printed them over syslog.
      const sum = createHash('sha256').update(image).digest('hex');
      const syslog = detail.timeline.filter((e) => e.kind === 'syslog');
      assert.ok(
        syslog.some((e) => e.raw?.startsWith('<6>') && e.text.includes('vmlinuz... ok')),
        JSON.stringify(syslog.slice(0, 12)),
      );
      assert.equal(
        syslog.filter((e) => e.text.startsWith(`${sum}  first`) || e.text.startsWith(`${sum}  second`))
          .length,
        2,
        `sha256 lines: ${syslog
          .map((e) => e.text)
          .filter((t) => /^[0-9a-f]{64}/.test(t))
          .join(' | ')}`,
      );

      // Server side: two Content Informations of 46 blocks; the first download all from the origin (cache
      // empty), the second all from the hosted cache.
      const peer = s.peerdistServer!;
      assert.equal(peer.blocks, 2 * BLOCKS);
      assert.equal(peer.fromOrigin, BLOCKS, 'first download: every block a MissingDataRequest range');
      assert.equal(peer.fromCache, BLOCKS, 'second download: every block from the hosted cache');
      assert.equal(peer.percentFromPeers, 50);
      const files = detail.files.filter((f) => f.protocol === 'http' && f.name === '/vmlinuz' && !f.error);
      assert.ok(files.length >= 2);

      // The generated boot script carries `set peerhost` (Settings: peerdist.setPeerhost).
      const script = lab!.ns.run('curl', [
        '-sf',
        '-A',
        'iPXE/2.0',
        `http://${SERVER}:8080/boot.ipxe?mac=${MAC.replace(/:/g, '-')}&ip=10.77.0.100`,
      ]);
      assert.match(script, /^set peerhost 10\.77\.0\.1:8091$/m);
    } finally {
      ipxe.kill('SIGKILL');
    }

    // Restart: the session, its timeline and files come back from SQLite.
    await lab!.restart();
    const again = api<ClientDetail>(`/api/clients/${encodeURIComponent(MAC)}`);
    assert.equal(again.session.stage, 'handed-over');
    assert.ok(again.timeline.some((e) => e.kind === 'syslog'));
    const csv = api<ExportFile>('/api/stats/export?format=csv');
    const rows = csv.text.trim().split('\r\n');
    assert.match(rows[0]!, /^key,mac,ip,hostname,make,model,serial,firmware,stage,/);
    assert.ok(
      rows.some((r) => r.startsWith(`${MAC},${MAC},`) && r.includes(',handed-over,')),
      rows.join('\n'),
    );
  },
);
