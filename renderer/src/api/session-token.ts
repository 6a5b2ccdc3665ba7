import { tokenFromLocation } from './client';

const STORAGE_KEY = 'bootlab.token';

/**
 * The token arrives in the URL fragment (#token=...) Bootlab printed. The address is stable (fixed port,
 * token kept in the data dir), so we keep the token in this browser's localStorage for this origin: a
 * bookmark of http://127.0.0.1:PORT/ keeps working in this browser, even after Bootlab restarts. It is
 * taken out of the address bar so it does not end up in screenshots or shared links. A token the server
 * refuses (it was rotated in Settings) is forgotten again (forgetToken).
 */
export function takeSessionToken(
  loc: Location = window.location,
  storage: Storage = window.localStorage,
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

export function forgetToken(storage: Storage = window.localStorage): void {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    /* nothing stored */
  }
}

/** Keeps a token the server just made (Settings → "Make a new token") for the next page load. */
export function rememberToken(token: string, storage: Storage = window.localStorage): void {
  try {
    storage.setItem(STORAGE_KEY, token);
  } catch {
    /* storage disabled: the new address must be opened by hand */
  }
}
