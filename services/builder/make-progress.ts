/**
 * Progress of an iPXE build from make's own lines (pure). iPXE's Makefile prints one short line per step
 * (Makefile.housekeeping QM macros): "  [BUILD] bin/foo.o", "  [DEPS] …", "  [AR] …", "  [LD] …",
 * "  [ZBIN] …", "  [FINISH] …". A compiled object is a BUILD (C), an AS or a HOSTCC line.
 */

const COMPILED = /^\s*\[(BUILD|AS|HOSTCC)\]\s/;
const STEP = /^\s*\[([A-Z0-9]+)\]\s+(\S+)/;

/**
 * Objects compiled by a clean build of each BIN dir (counted in this project's build logs from the
 * 2.0.0-254 snapshot: [BUILD]/[AS]/[HOSTCC] lines).
 */
export const CLEAN_BUILD_OBJECTS: Record<string, number> = {
  bin: 1042,
  'bin-x86_64-efi': 1032,
  'bin-arm64-efi': 925,
  'bin-x86_64-linux': 1051,
};

export class MakeProgress {
  done = 0;
  /** The last step line, e.g. "[LD] bin/undionly.kpxe.tmp". */
  step = '';
  private partial = '';

  /** @param total estimated objects to compile (clean-build count minus objects already in the tree). */
  constructor(public total: number) {}

  /** Feeds raw output (may split lines anywhere, carries \r\n from the pty). */
  feed(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  line(line: string): void {
    if (COMPILED.test(line)) {
      this.done++;
      if (this.done > this.total) this.total = this.done;
    }
    const m = STEP.exec(line);
    if (m) this.step = `[${m[1]}] ${m[2]}`;
  }

  snapshot(): { done: number; total: number } {
    return { done: this.done, total: Math.max(this.total, this.done, 1) };
  }
}

/** The progress estimate's total: a clean build's object count minus the objects the work tree already has. */
export function estimateTotal(binDir: string, existingObjects: number): number {
  const clean = CLEAN_BUILD_OBJECTS[binDir] ?? 1000;
  return Math.max(8, clean - existingObjects);
}
