import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BootClientInfo } from '../../../services/core/runtime.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BOOT_SCRIPT_PATH } from '../../../services/ipxe/chain.js';
import { checkinLines } from '../../../services/ipxe/checkin.js';
import {
  clearCredentialLines,
  credentialLines,
  urlWithCredentials,
} from '../../../services/ipxe/credentials.js';
import { payloads, startHttp, waitForPayload } from './harness.js';

// A real iPXE (Debian's ipxe-qemu e1000 ROM in QEMU, user-mode network) boots with the DHCP file name set to
// a bare /boot.ipxe (what DHCP hands iPXE); the server answers with the first stage, which chains
// bootScriptUrl(); iPXE expands its own settings into the query, so
// /boot.ipxe sees the machine's MAC, platform, build arch, manufacturer and product; the per-host script then
// checks in (checkinLines). (The full bootScriptUrl() is longer than the 128-byte BOOTP file field, which is
// why DHCP hands out the short first-stage URL.)
// QEMU's user network maps the guest's 10.0.2.2 to the host's 127.0.0.1: no traffic leaves loopback.

const ROM = '/usr/lib/ipxe/qemu/pxe-e1000.rom';
const MAC = '52:54:00:12:34:56';

function unavailable(): string | undefined {
  if (spawnSync('qemu-system-x86_64', ['--version']).status !== 0)
    return 'qemu-system-x86_64 is not installed';
  if (!existsSync(ROM)) return `${ROM} is missing (Debian package ipxe-qemu)`;
  return undefined;
}

test(
  'real iPXE: a bare /boot.ipxe leads through the first stage to the per-host script, Digest download and check-in',
  { skip: unavailable() },
  async () => {
    const h = await startHttp(
      {
        // Digest only: Basic would be refused, so a 200 proves iPXE did Digest.
        auth: [
          {
            pathPrefix: '/private/',
            username: 'tech',
            password: 's3cret!',
            scheme: 'digest',
            realm: 'Bootlab',
          },
        ],
      },
      (root) => {
        mkdirSync(join(root, 'private'));
        writeFileSync(join(root, 'private', 'payload.bin'), Buffer.alloc(100_000, 7));
      },
    );
    const guestBase = `http://10.0.2.2:${h.port}`;
    const seen: BootClientInfo[] = [];
    h.runtime.bootScript = (client, ctx) => {
      seen.push(client);
      // ctx.httpBase is the address the client used (10.0.2.2:port here), so the check-in reaches us.
      // A protected download with Digest, the way a menu entry that needs credentials does it.
      return [
        '#!ipxe',
        `echo Bootlab e2e for ${client.mac}`,
        ...credentialLines({ username: 'tech', password: 's3cret!' }),
        `imgfetch --name payload ${urlWithCredentials(`${ctx.httpBase}/private/payload.bin`)} && imgfree payload ||`,
        ...clearCredentialLines(),
        ...checkinLines(ctx.httpBase, 'booting', { entry: 'e2e-entry' }),
        'shell',
        '',
      ].join('\n');
    };
    const qemu = spawn(
      'qemu-system-x86_64',
      [
        // TCG on purpose: iPXE needs only seconds, and nested KVM stalled its console here.
        '-m',
        '256',
        '-nographic',
        '-no-reboot',
        '-boot',
        'n',
        '-netdev',
        `user,id=n0,bootfile=${guestBase}${BOOT_SCRIPT_PATH}`,
        '-device',
        `e1000,netdev=n0,mac=${MAC},romfile=${ROM}`,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] }, // stdin stays open: EOF on it would end QEMU
    );
    let screen = '';
    qemu.stdout.on('data', (d: Buffer) => (screen += d.toString('latin1')));
    qemu.stderr.on('data', (d: Buffer) => (screen += d.toString('latin1')));
    try {
      const checkin = await Promise.race([
        waitForPayload(h, 'http.checkin', (c) => c.event === 'booting'),
        new Promise<never>((_, reject) =>
          qemu.once('exit', (code) =>
            reject(
              new Error(
                `QEMU exited (${code}) before the check-in:\n${screen.slice(-3000)}\nHTTP: ${JSON.stringify(h.events.filter((e) => e.type.startsWith('http')).map((e) => e.payload))}`,
              ),
            ),
          ),
        ),
      ]);
      assert.equal(checkin.mac, MAC);
      assert.equal(checkin.entry, 'e2e-entry');
      const client = seen[0]!;
      assert.equal(client.mac, MAC);
      assert.equal(client.platform, 'pcbios');
      assert.equal(client.buildarch, 'i386');
      assert.equal(client.manufacturer, 'QEMU');
      assert.match(client.product ?? '', /^Standard PC/);
      assert.match(client.ip, /^10\.0\.2\.\d+$/);
      const script = await waitForPayload(
        h,
        'http.download',
        (d) => d.path === '/boot.ipxe' && d.phase === 'end',
      );
      assert.match(script.userAgent ?? '', /^iPXE\//);
      // Two requests for /boot.ipxe: the bare one (answered with the first stage), then the one with the query.
      assert.equal(
        payloads(h, 'http.download').filter((d) => d.path === '/boot.ipxe' && d.phase === 'end').length,
        2,
      );
      // iPXE answered the 401 with Digest (RFC 7616, MD5) and got the whole protected file.
      const prot = await waitForPayload(
        h,
        'http.download',
        (d) => d.path === '/private/payload.bin' && d.phase === 'end',
      );
      assert.equal(prot.status, 200);
      assert.equal(prot.result, 'completed');
      assert.equal(prot.bytesSent, 100_000);
    } finally {
      qemu.kill('SIGKILL');
      await h.stop();
    }
  },
);
