import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { Netns, connect, netnsUnavailableReason, waitFor } from '../../helpers/netns.js';
import type { TftpTransferEvent } from '../../../services/shared/events.js';

/**
 * Server and clients in two namespaces joined by a veth pair, with 5% of packets dropped on each
 * receiving side (nftables numgen: the kernels here may lack netem; dropping on the sender would make
 * sendto() fail instead). DATA is lost on the way in to the client, ACKs on the way in to the server.
 * Every real client must still end with the right bytes.
 */
const tools = ['curl', 'atftp', 'tftp', 'nft'].filter(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0,
);
const skip = netnsUnavailableReason() ?? (tools.length ? `missing: ${tools.join(', ')}` : false);

let dir: string;
let srv: Netns;
let cli: Netns;
let child: ChildProcess;
let port = 0;
const ends: TftpTransferEvent[] = [];
const SERVER = '10.98.0.1';
const files = { 'one-mib.bin': randomBytes(1 << 20), 'quarter.bin': randomBytes(256 * 1024) };
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function lossRule(ns: Netns): void {
  ns.run('nft', ['add', 'table', 'inet', 't']);
  ns.run('nft', ['add', 'chain', 'inet', 't', 'in', '{ type filter hook input priority 0; }']);
  ns.run('nft', [
    'add',
    'rule',
    'inet',
    't',
    'in',
    'udp',
    'dport',
    '!=',
    '0',
    'numgen',
    'random',
    'mod',
    '100',
    '<',
    '5',
    'drop',
  ]);
}

describe('5% packet loss', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tftp-loss-'));
    for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
    srv = Netns.create('tfs');
    cli = Netns.create('tfc');
    connect(srv, `${SERVER}/24`, cli, '10.98.0.2/24');
    lossRule(srv);
    lossRule(cli);
    const opts = { bootRoot: dir, ifname: 'eth0', tftp: { timeoutMs: 100, retries: 12, maxWindowSize: 16 } };
    child = srv.spawn(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, 'serve-child.ts'),
      JSON.stringify(opts),
    ]);
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('READY ')) port = Number(line.slice(6));
        if (line.startsWith('EVENT ')) ends.push(JSON.parse(line.slice(6)) as TftpTransferEvent);
      }
    });
    await waitFor('the TFTP server in the namespace', () => port > 0, 30_000);
  });

  after(async () => {
    child?.kill('SIGTERM');
    srv?.destroy();
    cli?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, keyof typeof files, (out: string, f: string) => [string, string[]]][] = [
    [
      'curl --tftp-blksize 1468',
      'one-mib.bin',
      (o, f) => [
        'curl',
        ['-sS', '--fail', '--tftp-blksize', '1468', '-o', o, `tftp://${SERVER}:${port}/${f}`],
      ],
    ],
    [
      'atftp blksize 1468 windowsize 8',
      'one-mib.bin',
      (o, f) => [
        'atftp',
        [
          '--tftp-timeout',
          '1',
          '--option',
          'blksize 1468',
          '--option',
          'windowsize 8',
          '-g',
          '-r',
          f,
          '-l',
          o,
          SERVER,
          String(port),
        ],
      ],
    ],
    [
      'atftp windowsize 16 (512-byte blocks)',
      'quarter.bin',
      (o, f) => [
        'atftp',
        ['--tftp-timeout', '1', '--option', 'windowsize 16', '-g', '-r', f, '-l', o, SERVER, String(port)],
      ],
    ],
    [
      'tftp-hpa',
      'quarter.bin',
      (o, f) => ['tftp', ['-m', 'binary', SERVER, String(port), '-c', 'get', f, o]],
    ],
  ];
  for (const [label, file, cmd] of cases) {
    test(`${label} gets ${file} intact`, async () => {
      const out = join(dir, `out-${label.replace(/\W+/g, '-')}`);
      const [c, args] = cmd(out, file);
      let r = cli.tryRun(c, args, 180_000);
      // atftp 0.8 aborts with "unexpected OACK" when its ACK of the OACK is lost and the server, as it
      // must (RFC 1350 section 6 timeouts), sends the OACK again: the client's limit, not the server's. At
      // 5 % loss on both ends that happens in about one atftp run in ten, so such a run is tried again.
      for (
        let attempt = 1;
        attempt < 4 && r.status !== 0 && /unexpected OACK/i.test(r.stderr + r.stdout);
        attempt++
      )
        r = cli.tryRun(c, args, 180_000);
      assert.equal(r.status, 0, `${c}: ${r.stderr}`);
      assert.equal(sha(await readFile(out)), sha(files[file]));
    });
  }

  test('the server saw the loss and recovered by retransmitting', async () => {
    // Every transfer ends, whatever its result. A client that lost the OACK asks again (an extra transfer),
    // and a lost final ACK leaves the server retrying its last block until it gives up (RFC 1350 section 6):
    // the client already has every byte (checked above), so such an end is a timeout after the whole file.
    await waitFor('end events', () => (ends.length >= cases.length ? true : undefined), 90_000);
    const okFiles = new Set(ends.filter((e) => e.result === 'ok').map((e) => e.file));
    for (const e of ends.filter((x) => x.result !== 'ok')) {
      const allSent = e.size !== undefined && e.bytesSent >= e.size;
      assert.ok(
        allSent || okFiles.has(e.file),
        `${e.file} ended ${e.result} after ${e.bytesSent} of ${e.size} bytes`,
      );
    }
    const total = ends.reduce((a, e) => a + e.retransmits, 0);
    assert.ok(total > 0, 'retransmits were counted');
  });
});
