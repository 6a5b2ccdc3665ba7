import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * An exclusive lock shared between processes (the desktop app, `bootlab build` and test files may build in
 * the same data dir at once): a file created with O_EXCL that holds the owner's pid. A lock whose owner
 * has died is taken over, so a crash never leaves a work tree locked for good.
 */

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or returns false (the owner is alive). */
export function tryLock(path: string): boolean {
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path, 'utf8'));
      } catch {
        continue; // removed meanwhile: try again
      }
      // Empty file: the owner is between open and write; treat as alive.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !pidAlive(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      return false;
    }
  }
}

export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  opts: { timeoutMs?: number; onWait?: () => void } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  let told = false;
  while (!tryLock(path)) {
    if (!told) {
      opts.onWait?.();
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
