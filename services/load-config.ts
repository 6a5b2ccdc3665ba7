import { ConfigStore } from './core/config-store.js';
import { profileSchemas } from './profile.js';

/**
 * Loads (or starts) the settings file at `path`, validated with the profile services/profile.ts assembles.
 * Separate from profile.ts so that one stays Node-free (the renderer reads its types through the contract).
 */
export function loadConfigStore(path: string): ConfigStore {
  return ConfigStore.load(path, profileSchemas);
}
