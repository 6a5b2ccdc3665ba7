import { tokenFromLocation } from './client';

const STORAGE_KEY = 'bootlab.token';

/**
 * The per-launch token arrives once in the URL fragment (#token=...). We keep it in sessionStorage (per
 * tab, per origin; the UI port changes every launch) so hash navigation and reloads keep working, and take
 * it out of the address bar so it does not end up in screenshots or bookmarks.
 */
export function takeSessionToken(
  loc: Location = window.location,
  storage: Storage = window.sessionStorage,
): string {
  const fromUrl = tokenFromLocation(loc);
  if (fromUrl) {
    try {
      storage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token then lives only in memory for this page.
    }
    return fromUrl;
  }
  try {
    return storage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}
