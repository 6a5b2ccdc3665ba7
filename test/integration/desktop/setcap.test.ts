/**
 * The Linux first-run grant for real: the exact command the dialog shows (`pkexec setcap
 * cap_net_bind_service+ep <binary>`, run here as root with pkexec's part done by the test, since pkexec
 * needs a person at a polkit agent) on a private copy of the Node binary; then getcap (through
 * electron/capability.ts) sees it and an ordinary user (nobody) can bind a port below 1024 with that
 * binary, which it could not before. Only loopback binds, no traffic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSbinTool, hasBindCapability, type CapabilityDeps } from '../../../electron/capability.js';
import { decideElevation, portsFromConfig } from '../../../electron/elevation.js';
import { findOnPath, launchHost } from '../../../electron/host-launcher.js';
import { repoRoot } from '../../helpers/bootlab-process.js';
import { Netns, netnsUnavailableReason } from '../../helpers/netns.js';
import { choosePrivileges } from '../../../electron/first-run.js';

const deps: CapabilityDeps = {
  which: (name) => findOnPath(name, process.env, existsSync),
  exists: existsSync,
  run: (command, args) => {
    const out = spawnSync(command, args, { encoding: 'utf8' });
    return { status: out.status, stdout: out.stdout ?? '' };
  },
};

const unprivilegedStart = Number(
  spawnSync('cat', ['/proc/sys/net/ipv4/ip_unprivileged_port_start'], { encoding: 'utf8' }).stdout.trim(),
);
const cannot: string | false =
  process.platform !== 'linux'
    ? 'Linux only'
    : process.getuid?.() !== 0
      ? 'needs root (to run setcap and to become nobody)'
      : !findSbinTool('setcap', deps) || !findSbinTool('getcap', deps)
        ? 'setcap/getcap missing (Debian package libcap2-bin)'
        : netnsUnavailableReason()
          ? netnsUnavailableReason()!
          : spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0
            ? 'runuser -u nobody does not work here'
            : !(unprivilegedStart > 100)
              ? `ip_unprivileged_port_start is ${unprivilegedStart}: every user may bind low ports here`
              : false;

/** As nobody, with `binary`, bind UDP 127.0.0.1:<a free port below 1024>: 'bound' or the error code. */
function bindAsNobody(binary: string): string {
  const script =
    "const d=require('dgram');let p=600+Math.floor(Math.random()*300),n=0;" +
    "const go=()=>{const s=d.createSocket('udp4');s.on('error',e=>{s.close();if(e.code==='EADDRINUSE'&&n++<20){p++;go()}else console.log(e.code)});" +
    "s.bind(p,'127.0.0.1',()=>{console.log('bound');s.close()})};go()";
  const out = spawnSync('runuser', ['-u', 'nobody', '--', binary, '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return out.stdout.trim() || out.stderr.trim();
}

test(
  'Grant once: the exact setcap command gives the host binary the right, and nothing else is needed',
  { skip: cannot },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootlab-setcap-'));
    try {
      chmodSync(dir, 0o755);
      const binary = join(dir, 'node');
      copyFileSync(realpathSync(process.execPath), binary);
      chmodSync(binary, 0o755);
      assert.equal(hasBindCapability(binary, deps), false);
      assert.equal(bindAsNobody(binary), 'EACCES', 'an ordinary user may not bind below 1024 before');

      const decision = decideElevation(portsFromConfig(undefined), {
        platform: 'linux',
        uid: 65534,
        unprivilegedPortStart: unprivilegedStart,
        hasBindCapability: hasBindCapability(binary, deps),
      });
      assert.equal(decision.elevate, true);
      const shown: string[] = [];
      const ran: string[][] = [];
      const choice = await choosePrivileges(decision, binary, {
        platform: 'linux',
        env: {},
        showMessageBox: async (o) => {
          shown.push(o.detail ?? '');
          return { response: 0 }; // Grant once
        },
        // pkexec's part (asking a person) is the test's: the command after it runs as root, unchanged.
        spawn: (command, args, options) => {
          ran.push([command, ...args]);
          assert.equal(command, 'pkexec');
          return spawn(args[0]!, args.slice(1), options);
        },
        hasBindCapability: (b) => hasBindCapability(b, deps),
        which: deps.which,
        exists: deps.exists,
      });
      assert.equal(choice, 'plain', 'the host then starts as the user');
      const setcap = findSbinTool('setcap', deps)!;
      assert.deepEqual(ran, [['pkexec', setcap, 'cap_net_bind_service+ep', binary]]);
      assert.ok(shown[0]!.includes(`\npkexec ${setcap} cap_net_bind_service+ep ${binary}\n`), shown[0]);
      assert.equal(hasBindCapability(binary, deps), true);
      assert.equal(bindAsNobody(binary), 'bound', 'the same user binds below 1024 after');

      // And the real services host, started by the app's launcher as that ordinary user with that binary,
      // serves TFTP 69, HTTP 80 and syslog 514 (in a private network namespace: no port on this machine).
      const ns = Netns.create('blcap');
      const data = join(dir, 'data');
      mkdirSync(data);
      chownSync(data, 65534, 65534);
      try {
        const host = await launchHost(
          {
            command: 'ip',
            args: [
              ...['netns', 'exec', ns.name, 'runuser', '-u', 'nobody', '--', binary, '--import', 'tsx'],
              ...[join(repoRoot, 'services/cli.ts'), 'serve', '--data-dir', data, '--interface', 'lo'],
              ...['--dhcp', 'off', '--ui-port', '0', '--quiet'],
            ],
          },
          { ...process.env, HOME: data },
          {
            spawn: (command, args, options) => spawn(command, args, { ...options, cwd: repoRoot }),
            readFile: () => undefined,
            fetch: async () => undefined, // the API is inside the namespace; stop() falls back to signals
          },
          120_000,
        );
        try {
          const port = new URL(host.ready.origin).port;
          let services: { service: string; state: string; listening?: string[] }[] = [];
          for (let i = 0; i < 100; i++) {
            const out = ns.tryRun('curl', [
              '-s',
              '-H',
              `x-bootlab-token: ${host.ready.token}`,
              `http://127.0.0.1:${port}/api/services`,
            ]);
            services =
              out.status === 0 ? (JSON.parse(out.stdout) as { services: typeof services }).services : [];
            if (
              ['tftp', 'http', 'syslog'].every(
                (n) => services.find((s) => s.service === n)?.state === 'running',
              )
            )
              break;
            await new Promise((r) => setTimeout(r, 200));
          }
          const byName = Object.fromEntries(services.map((s) => [s.service, s]));
          for (const [name, want] of [
            ['tftp', 69],
            ['http', 80],
            ['syslog', 514],
          ] as const) {
            assert.equal(byName[name]?.state, 'running', `${name}: ${JSON.stringify(byName[name])}`);
            assert.ok(
              byName[name]!.listening!.some((l) => l.endsWith(`:${want}`)),
              `${name} on ${want}: ${byName[name]!.listening}`,
            );
          }
          assert.match(ns.run('ss', ['-lunpH']), /127\.0\.0\.1:69\b/);
        } finally {
          await host.stop();
        }
      } finally {
        ns.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
