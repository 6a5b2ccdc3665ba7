import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { BootlabError } from './shared/errors.js';
import type { Runtime, VirtualFile } from './core/runtime.js';
import { createGrubConfigProvider } from './menu/grub-config-file.js';
import { createQuickScriptProvider, QUICK_ENTRY_ID, quickMenuConfig } from './menu/quick.js';

export interface QuickBootEntry {
  kernel: string;
  initrds: string[];
  cmdline: string;
}

/** Checks that each file of a quick-boot entry exists and is a readable regular file. */
export function validateQuickBoot(entry: QuickBootEntry): void {
  for (const [what, file] of [
    ['kernel', entry.kernel],
    ...entry.initrds.map((f) => ['initrd', f] as const),
  ] as const) {
    let ok = false;
    try {
      ok = statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new BootlabError(
        'NOT_FOUND',
        `The ${what} file ${file} does not exist or is not a regular file.`,
        `Check the path given to --${what}.`,
      );
    }
  }
}

function diskFile(path: string): VirtualFile {
  const st = statSync(path);
  return {
    size: st.size,
    mtime: st.mtime,
    open: (range) => createReadStream(path, range ? { start: range.start, end: range.end } : {}),
  };
}

/**
 * The pixiecore-style quick mode: every client that boots gets this one kernel. The files stay where they
 * are and are served over HTTP as /quick/<name>.
 */
export function installQuickBoot(runtime: Runtime, entry: QuickBootEntry): void {
  validateQuickBoot(entry);
  const files = new Map<string, string>();
  const publish = (path: string): string => {
    const name = `quick/${files.size}-${basename(path)}`;
    files.set(name, path);
    return name;
  };
  const kernelName = publish(entry.kernel);
  const initrdNames = entry.initrds.map(publish);
  runtime.addVirtualFiles((requested) => {
    const path = files.get(requested.replace(/^\/+/, ''));
    return path ? diskFile(path) : undefined;
  });
  // The menu renderer boots it at once and, if a download fails, shows a small menu instead of a dead end.
  const spec = { kernel: kernelName, initrds: initrdNames, cmdline: entry.cmdline };
  runtime.bootScript = createQuickScriptProvider(spec);
  // Secure Boot machines (shim -> GRUB) get the same entry as a GRUB config.
  runtime.addVirtualFiles(
    createGrubConfigProvider({
      getConfig: () => quickMenuConfig(spec),
      getHttpBase: () => runtime.httpBase(),
      startEntry: QUICK_ENTRY_ID,
    }),
  );
}
