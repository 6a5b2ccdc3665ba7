import { createReadStream, promises as fsp } from 'node:fs';
import type { VirtualFile } from './runtime.js';

/** A file on disk served as a virtual file (ranges read from disk), or undefined when it cannot be stat'ed. */
export async function diskFile(abs: string): Promise<VirtualFile | undefined> {
  let st;
  try {
    st = await fsp.stat(abs);
  } catch {
    return undefined;
  }
  return {
    size: st.size,
    mtime: st.mtime,
    open: (range) => createReadStream(abs, range ? { start: range.start, end: range.end } : {}),
  };
}
