import type * as Pty from 'node-pty';

/**
 * Runs one program in a pseudo-terminal (node-pty), so make and gcc print as they do for a person (line by
 * line, with colours), and the Builder page's xterm shows exactly that. node-pty starts the child as a
 * session and process-group leader, so cancel() ends make and every compiler it started at once (a signal
 * to the group); make removes the half-written target it was making, so the work tree stays usable.
 * node-pty is loaded on the first build, not with the host: its native module and JS are ~3 MiB of the
 * idle host's memory (docs/decisions.md, "Performance (issue 18)").
 */
export interface PtyRunOptions {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onData(data: string): void;
}

export interface PtyRunResult {
  exitCode: number;
  signal: number | null;
  cancelled: boolean;
}

let ptyModule: Promise<typeof Pty> | undefined;

export class PtyRun {
  private readonly proc: Pty.IPty;
  private cancelled = false;
  readonly done: Promise<PtyRunResult>;

  /** Starts the program (loading node-pty the first time). */
  static async start(opts: PtyRunOptions): Promise<PtyRun> {
    ptyModule ??= import('node-pty');
    return new PtyRun(await ptyModule, opts);
  }

  private constructor(pty: typeof Pty, opts: PtyRunOptions) {
    this.proc = pty.spawn(opts.command, opts.args, {
      name: 'xterm-256color',
      cols: 160,
      rows: 40,
      cwd: opts.cwd,
      env: { ...(opts.env ?? process.env), TERM: 'xterm-256color' } as Record<string, string>,
    });
    this.proc.onData(opts.onData);
    this.done = new Promise((resolve) => {
      this.proc.onExit(({ exitCode, signal }) =>
        resolve({ exitCode, signal: signal ? signal : null, cancelled: this.cancelled }),
      );
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Ends the whole process group: SIGTERM, then SIGKILL after `graceMs` if anything is left. */
  cancel(graceMs = 3000): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const group = -this.proc.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      /* already gone */
    }
    setTimeout(() => {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, graceMs).unref();
  }
}
