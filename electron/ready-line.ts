/**
 * The services host prints exactly one line `Bootlab ready: http://127.0.0.1:PORT/#token=TOKEN` when it is
 * up (services/cli.ts). These helpers find it in the host's output, which arrives in arbitrary chunks.
 */
export interface ReadyInfo {
  /** The full URL to load, token fragment included. */
  url: string;
  /** scheme://host:port of the UI and control API. */
  origin: string;
  token: string;
}

const READY = /^Bootlab ready: (\S+)\s*$/;

/** Parses one line; undefined unless it is the ready line with a loopback http URL and a token. */
export function parseReadyLine(line: string): ReadyInfo | undefined {
  const match = READY.exec(line.trim());
  if (!match) return undefined;
  let url: URL;
  try {
    url = new URL(match[1]!);
  } catch {
    return undefined;
  }
  // The control API only listens on loopback; anything else is not our host talking.
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) return undefined;
  const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
  if (!token) return undefined;
  return { url: url.href, origin: url.origin, token };
}

export function isLoopbackHost(hostname: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * Feeds output chunks in; calls `onReady` once, for the first ready line. Keeps the last lines of output
 * so an early exit can be explained with what the host said.
 */
export class ReadyLineWatcher {
  private partial = '';
  private found = false;
  private readonly tail: string[] = [];

  constructor(
    private readonly onReady: (info: ReadyInfo) => void,
    private readonly keepLines = 20,
  ) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Output so far that was not the ready line (the last `keepLines` lines). */
  recentOutput(): string {
    return [...this.tail, this.partial].filter(Boolean).join('\n');
  }

  get ready(): boolean {
    return this.found;
  }

  private line(line: string): void {
    if (!this.found) {
      const info = parseReadyLine(line);
      if (info) {
        this.found = true;
        this.onReady(info);
        return;
      }
    }
    if (line.trim() === '') return;
    this.tail.push(line);
    if (this.tail.length > this.keepLines) this.tail.shift();
  }
}
