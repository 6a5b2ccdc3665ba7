import type { Toast, ToastKind } from './notification-rules.js';

/**
 * Shows desktop notifications without flooding: a boot wave of 200 machines gives a few toasts and then
 * one summary ("197 more: 190 booted, 7 failed"), not 200. The first `burst` toasts within `windowMs`
 * show at once; after that every toast is held, and one summary is shown when the wave has been quiet for
 * `quietMs`, or at the latest `maxHoldMs` after the first held one (a long wave still reports every
 * minute). Switched off in Settings → nothing is shown or held. Timers and the clock are injected for
 * tests.
 */
export interface NotifierOptions {
  burst: number;
  windowMs: number;
  quietMs: number;
  maxHoldMs: number;
}

export const DEFAULT_NOTIFIER: NotifierOptions = {
  burst: 3,
  windowMs: 30_000,
  quietMs: 5_000,
  maxHoldMs: 60_000,
};

export interface NotifierDeps {
  show(title: string, body: string): void;
  enabled(): boolean;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const WORDS: Record<ToastKind, [one: string, many: string]> = {
  booted: ['machine booted', 'machines booted'],
  'boot-failed': ['machine failed to boot', 'machines failed to boot'],
  build: ['build finished', 'builds finished'],
  download: ['download finished', 'downloads finished'],
};

export class Notifier {
  private shownAt: number[] = [];
  private held: Toast[] = [];
  private firstHeldAt = 0;
  private timer: unknown;

  constructor(
    private readonly deps: NotifierDeps,
    private readonly opts: NotifierOptions = DEFAULT_NOTIFIER,
  ) {}

  push(toasts: readonly Toast[]): void {
    if (toasts.length === 0) return;
    if (!this.deps.enabled()) {
      this.held = [];
      return;
    }
    for (const toast of toasts) {
      const now = this.deps.now();
      this.shownAt = this.shownAt.filter((t) => now - t < this.opts.windowMs);
      if (this.held.length === 0 && this.shownAt.length < this.opts.burst) {
        this.shownAt.push(now);
        this.deps.show(toast.title, toast.body);
        continue;
      }
      if (this.held.length === 0) this.firstHeldAt = now;
      this.held.push(toast);
    }
    if (this.held.length > 0) this.arm();
  }

  /** Shows the summary of what is held now (quit, or a timer). */
  flush(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = [];
    if (held.length === 0 || !this.deps.enabled()) return;
    this.shownAt.push(this.deps.now());
    if (held.length === 1) return this.deps.show(held[0]!.title, held[0]!.body);
    const { title, body } = summarize(held);
    this.deps.show(title, body);
  }

  dispose(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    this.held = [];
  }

  private arm(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    const sinceFirst = this.deps.now() - this.firstHeldAt;
    const wait = Math.max(0, Math.min(this.opts.quietMs, this.opts.maxHoldMs - sinceFirst));
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }
}

/** One toast for many: counts per kind, failures first, and the last failure's words. */
export function summarize(held: readonly Toast[]): { title: string; body: string } {
  const counts = new Map<ToastKind, number>();
  for (const t of held) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  const order: ToastKind[] = ['boot-failed', 'booted', 'build', 'download'];
  const parts = order
    .filter((k) => counts.has(k))
    .map((k) => {
      const n = counts.get(k)!;
      return `${n} ${WORDS[k][n === 1 ? 0 : 1]}`;
    });
  const failures = held.filter((t) => t.failure);
  const lastFailure = failures.at(-1);
  const failed = failures.length;
  const title =
    failed > 0 ? `Bootlab: ${held.length} updates, ${failed} failed` : `Bootlab: ${held.length} updates`;
  const tail = lastFailure ? ` Last failure: ${lastFailure.body}` : '';
  return { title, body: `${parts.join(', ')}.${tail}`.slice(0, 500) };
}
