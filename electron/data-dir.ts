import { join } from 'node:path';

/**
 * The per-OS data folder, the same one `bootlab serve` uses by default (services/core/paths.ts
 * defaultDataDir; a unit test checks the two agree). Electron passes it to the host explicitly so an
 * elevated host (root has another HOME) still reads and writes the user's settings.
 */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Bootlab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Bootlab');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'bootlab');
}

/** The settings file inside a data folder (the CLI's default for --config). */
export function configPathIn(dataDir: string): string {
  return join(dataDir, 'config.json');
}
