import { chownSync } from 'node:fs';

/**
 * When Bootlab runs elevated (sudo, or pkexec from the desktop app) the files it writes in the user's data
 * folder would belong to root, and the next normal run could not save settings. Give them back to the user
 * who asked for elevation. A no-op when not root or not elevated through sudo/pkexec.
 */
export function giveBackToInvokingUser(path: string, env: NodeJS.ProcessEnv = process.env): void {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return;
  const uid = Number(env.PKEXEC_UID ?? env.SUDO_UID);
  if (!Number.isInteger(uid) || uid <= 0) return;
  const gid = Number(env.SUDO_GID ?? uid);
  try {
    chownSync(path, uid, Number.isInteger(gid) ? gid : uid);
  } catch {
    /* not ours to change (another filesystem); harmless */
  }
}
