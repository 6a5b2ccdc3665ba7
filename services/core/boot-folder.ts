import { accessSync, constants, statSync } from 'node:fs';
import { BootlabError } from '../shared/errors.js';

/**
 * Can the boot folder be served? Checked when the setting is saved (Settings) and when TFTP or HTTP
 * starts, so a folder that does not exist is refused with its reason instead of "Running, serving
 * /nonexistent". Returns what is wrong in a technician's words, or undefined when it is fine.
 */
export function bootFolderProblem(path: string): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') return `Bootlab may not look into the boot folder ${path}.`;
    return `The boot folder ${path} does not exist.`;
  }
  if (!isDir) return `${path} is a file, not a folder.`;
  try {
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch {
    return `Bootlab may not read the boot folder ${path}.`;
  }
  return undefined;
}

export const BOOT_FOLDER_HINT =
  'Choose an existing folder as "Boot files folder" in Settings (or create this one), and make sure Bootlab may read it.';

/** Throws CONFIG_INVALID when the folder cannot be served; `service` names who needed it. */
export function assertBootFolder(path: string, service: string): void {
  const problem = bootFolderProblem(path);
  if (problem)
    throw new BootlabError(
      'CONFIG_INVALID',
      `${problem} ${service} has nothing to serve.`,
      BOOT_FOLDER_HINT,
      { bootRoot: path },
      [{ field: 'bootRoot', message: problem, hint: BOOT_FOLDER_HINT }],
    );
}
