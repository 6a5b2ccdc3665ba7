/**
 * A build's log in memory: the newest `maxChars` characters (a page reload replays it), plus output
 * batching so the UI gets at most one event per `intervalMs` (about 30 a second) however fast make writes.
 */
export class RingLog {
  private chunks: string[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly maxChars = 512 * 1024) {}

  append(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxChars && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
    if (this.size > this.maxChars) {
      const only = this.chunks[0]!;
      this.chunks[0] = only.slice(only.length - this.maxChars);
      this.size = this.chunks[0].length;
      this.truncated = true;
    }
  }

  text(): string {
    return (this.truncated ? '[… earlier output dropped …]\r\n' : '') + this.chunks.join('');
  }
}

/** Collects output and flushes it in one piece at most every `intervalMs`. */
export class OutputBatcher {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  flushes = 0;

  constructor(
    private readonly flushFn: (data: string) => void,
    private readonly intervalMs = 34,
  ) {}

  push(data: string): void {
    this.pending += data;
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const data = this.pending;
    this.pending = '';
    this.flushes++;
    this.flushFn(data);
  }
}
