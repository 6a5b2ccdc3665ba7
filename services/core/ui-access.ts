import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from './atomic-file.js';

/**
 * A stable address for the UI: the token lives in the data dir (owner-only, written atomically), so the
 * URL Bootlab prints today still works tomorrow; "Make a new token" in Settings replaces it. The UI port
 * is fixed by default (DEFAULT_UI_PORT) with a free port as the fallback when another program holds it.
 */

/** The UI's default port on 127.0.0.1: outside the usual dev-server ports and below the ephemeral range. */
export const DEFAULT_UI_PORT = 47_380;

export const TOKEN_FILE = 'ui-token';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

export function tokenPath(dataDir: string): string {
  return join(dataDir, TOKEN_FILE);
}

/** A fresh random token (192 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Writes the token owner-only (0600) and atomically (a crash leaves the old or the new token). */
export function saveToken(dataDir: string, token: string): void {
  const path = tokenPath(dataDir);
  writeFileAtomicSync(path, `${token}\n`);
  chmodSync(path, 0o600);
}

/**
 * The stored token, or a new one saved in its place when the file is missing, malformed, or readable by
 * others (then it may have leaked: replace it). Returns `created` so the host can say so once.
 */
export function loadOrCreateToken(dataDir: string): { token: string; created: boolean } {
  const path = tokenPath(dataDir);
  try {
    const text = readFileSync(path, 'utf8').trim();
    const loose = process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0;
    if (TOKEN_SHAPE.test(text) && !loose) return { token: text, created: false };
  } catch {
    /* missing or unreadable: make one */
  }
  const token = newToken();
  saveToken(dataDir, token);
  return { token, created: true };
}

/** Replaces the stored token (Settings → "Make a new token"); the old address stops working at once. */
export function rotateToken(dataDir: string): string {
  const token = newToken();
  saveToken(dataDir, token);
  return token;
}
