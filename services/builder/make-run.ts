import { join } from 'node:path';
import { estimateTotal, MakeProgress } from './make-progress.js';
import { PtyRun } from './pty-runner.js';
import { RingLog } from './ring-log.js';
import type { BuildJobView } from './views.js';
import { countObjects } from './work-tree.js';

type MakeProgressView = NonNullable<BuildJobView['progress']>;

/**
 * One `make` in one work tree, in a pty (pty-runner.ts): its output goes to `onOutput` as it comes, its
 * progress (make-progress.ts, from iPXE's "[BUILD] …" lines) to `onProgress` at most 4 times a second, and
 * the last 4 MiB of its log are kept for the stored artifact and for explaining a failure.
 */
export interface MakeRunOptions {
  make: string;
  args: string[];
  src: string;
  binDir: string;
  onOutput(text: string): void;
  onProgress(progress: MakeProgressView): void;
  /** Called with the running make, so a cancel can reach it. */
  onStart(run: PtyRun): void;
}

export interface MakeRunResult {
  exitCode: number;
  cancelled: boolean;
  ms: number;
  log: string;
  /** Objects compiled, for the final progress figure. */
  compiled: number;
}

const PROGRESS_EVERY_MS = 250;

export async function runMake(o: MakeRunOptions): Promise<MakeRunResult> {
  const progress = new MakeProgress(estimateTotal(o.binDir, countObjects(join(o.src, o.binDir))));
  o.onProgress(progress.snapshot());
  let lastProgress = 0;
  const log = new RingLog(4 * 1024 * 1024);
  const started = Date.now();
  const run = await PtyRun.start({
    command: o.make,
    args: o.args,
    cwd: o.src,
    env: { ...process.env, LC_ALL: 'C' },
    onData: (data) => {
      log.append(data);
      o.onOutput(data);
      progress.feed(data);
      if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        o.onProgress(progress.snapshot());
      }
    },
  });
  o.onStart(run);
  const result = await run.done;
  return {
    exitCode: result.exitCode,
    cancelled: result.cancelled,
    ms: Date.now() - started,
    log: log.text(),
    compiled: progress.done,
  };
}
