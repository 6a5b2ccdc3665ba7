import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns } from './netns.js';
import { startBootlab, type RunningBootlab } from './bootlab-process.js';

/**
 * A namespace for statistics tests with real iPXE (tap.linux): bridge br0 (10.77.0.1/24) where Bootlab
 * serves, tap0 for iPXE as a bridge port, and a veth pair in the bridge so br0 has carrier before iPXE
 * opens the tap. Bootlab runs inside (`bootlab serve`, DHCP full mode) with a boot root holding `files`.
 */
export const SERVER = '10.77.0.1';

export interface StatsLab {
  ns: Netns;
  app: RunningBootlab;
  dataDir: string;
  /** GET an API path from inside the namespace (the API listens on the namespace's loopback). */
  api<T>(path: string): T;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createStatsLab(files: Record<string, Buffer>): Promise<StatsLab> {
  const ns = Netns.create('blst');
  for (const args of [
    ['link', 'add', 'br0', 'type', 'bridge'],
    ['addr', 'add', `${SERVER}/24`, 'dev', 'br0'],
    ['tuntap', 'add', 'dev', 'tap0', 'mode', 'tap'],
    ['link', 'set', 'tap0', 'master', 'br0'],
    ['link', 'add', 'vk0', 'type', 'veth', 'peer', 'name', 'vk1'],
    ['link', 'set', 'vk0', 'master', 'br0'],
    ['link', 'set', 'vk0', 'up'],
    ['link', 'set', 'vk1', 'up'],
    ['link', 'set', 'tap0', 'up'],
    ['link', 'set', 'br0', 'up'],
  ])
    ns.run('ip', args);
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-stats-tap-'));
  const bootRoot = join(dataDir, 'boot');
  mkdirSync(bootRoot, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(bootRoot, name), data);
  const start = () =>
    startBootlab(
      [
        'serve',
        ...['--data-dir', dataDir, '--boot-root', bootRoot, '--interface', 'br0', '--dhcp', 'full'],
        ...['--pool', '10.77.0.100-10.77.0.150', '--http-port', '8080', '--ui-port', '0', '--quiet'],
      ],
      { wrap: ['ip', 'netns', 'exec', ns.name], timeoutMs: 60_000 },
    );
  const lab: StatsLab = {
    ns,
    app: await start(),
    dataDir,
    api<T>(path: string): T {
      const out = ns.run('curl', [
        '-sf',
        '-H',
        `x-bootlab-token: ${lab.app.token}`,
        `${lab.app.base}${path}`,
      ]);
      return JSON.parse(out) as T;
    },
    async restart() {
      await lab.app.stop();
      lab.app = await start();
    },
    async destroy() {
      await lab.app.stop();
      ns.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return lab;
}
