import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { BootlabError } from './core/errors.js';
import type { Runtime, VirtualFile } from './core/runtime.js';

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
 * are and are served over HTTP as /quick/<name>; the boot script loads them and boots, with a clear
 * message and a shell instead of a dead end if a download fails.
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
  runtime.bootScript = (_client, { httpBase }) => {
    const lines = ['#!ipxe', 'echo Bootlab quick boot: loading the kernel'];
    const initrdArgs = initrdNames.map((n) => ` initrd=${basename(n)}`).join('');
    lines.push(
      `kernel ${httpBase}/${kernelName}${initrdArgs} ${entry.cmdline}`.trimEnd() + ' || goto failed',
    );
    for (const n of initrdNames) lines.push(`initrd ${httpBase}/${n} || goto failed`);
    lines.push(
      'boot || goto failed',
      ':failed',
      'echo Bootlab quick boot failed: ${errno}. Dropping to the iPXE shell.',
      'shell',
      '',
    );
    return lines.join('\n');
  };
}
