import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configPathIn, defaultDataDir } from '../../../electron/data-dir.js';
import { defaultDataDir as servicesDataDir } from '../../../services/core/paths.js';

test('Electron hands the host the same data folder the CLI uses by default', () => {
  const cases: [NodeJS.Platform, NodeJS.ProcessEnv][] = [
    ['linux', {}],
    ['linux', { XDG_DATA_HOME: '/data/xdg' }],
    ['darwin', {}],
    ['win32', { APPDATA: 'C:/Users/tech/AppData/Roaming' }],
    ['win32', {}],
  ];
  for (const [platform, env] of cases) {
    assert.equal(
      defaultDataDir(platform, env, '/home/tech'),
      servicesDataDir(platform, env, '/home/tech'),
      platform,
    );
  }
  assert.equal(
    configPathIn('/home/tech/.local/share/bootlab'),
    '/home/tech/.local/share/bootlab/config.json',
  );
});
