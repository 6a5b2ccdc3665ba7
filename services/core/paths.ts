import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The per-OS application data directory (where config profiles and leases live). */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Bootlab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Bootlab');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'bootlab');
}

/** Where the built UI lives, relative to the compiled services (dist/services → dist/renderer). */
export function defaultUiDir(servicesDir: string): string {
  return join(servicesDir, '..', 'renderer');
}

/** The boot root TFTP and HTTP serve: the profile's folder, or "<data dir>/boot" when none is set. */
export function bootRootOf(profile: { bootRoot: string | null }, dataDir: string): string {
  return resolve(profile.bootRoot ?? join(dataDir, 'boot'));
}
