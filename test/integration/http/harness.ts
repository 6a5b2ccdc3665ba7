import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { EventBus } from '../../../services/core/bus.js';
import { createLogger } from '../../../services/core/logger.js';
import { Runtime } from '../../../services/core/runtime.js';
import { profileSchema } from '../../../services/profile.js';
import type { BootlabEvent, BootlabEventMap, BootlabEventType } from '../../../services/shared/events.js';
import type { HttpConfig } from '../../../services/http/config.js';
import { HttpService } from '../../../services/http/service.js';

/** Starts the real HttpService on 127.0.0.1:0 with a temporary boot root; collects every bus event. */
export interface RunningHttp {
  base: string;
  port: number;
  root: string;
  dir: string;
  runtime: Runtime;
  bus: EventBus;
  events: BootlabEvent[];
  stop(): Promise<void>;
}

export async function startHttp(
  http: Partial<HttpConfig> = {},
  setup?: (root: string, dir: string) => void,
): Promise<RunningHttp> {
  const dir = mkdtempSync(join(tmpdir(), 'bootlab-http-'));
  const root = join(dir, 'root');
  mkdirSync(root);
  setup?.(root, dir);
  const bus = new EventBus((e) => console.error('bus handler error', e));
  const events: BootlabEvent[] = [];
  bus.onAny((e) => events.push(e));
  const runtime = new Runtime();
  const profile = profileSchema.parse({ http: { port: 0, fallbackPort: 0, ...http } });
  const service = new HttpService();
  const result = await service.start({
    profile,
    bus,
    log: createLogger(bus, 'test', { quiet: true }),
    network: {
      iface: { name: 'lo', mac: null, up: true, ipv4: [], internal: true },
      address: '127.0.0.1',
      netmask: '255.0.0.0',
    },
    bootRoot: root,
    dataDir: dir,
    runtime,
  });
  const port = Number(result.listening[0]!.split(':').pop());
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    root,
    dir,
    runtime,
    bus,
    events,
    stop: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  /** Every header line of the last response, lower-cased names (for repeated headers). */
  headerLines: [string, string][];
  body: Buffer;
  stdout: string;
  stderr: string;
}

/** Runs the real curl client; returns the last response's status, headers and body bytes. */
export async function curl(url: string, args: string[] = []): Promise<CurlResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'bootlab-curl-'));
  const headerFile = join(tmp, 'h');
  const bodyFile = join(tmp, 'b');
  try {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        'curl',
        ['-sS', '-D', headerFile, '-o', bodyFile, '-w', '%{http_code}', ...args, url],
        { maxBuffer: 1 << 20 },
        (err, so, se) => {
          if (err && !so) reject(new Error(`curl failed: ${se || err.message}`));
          else resolve({ stdout: so, stderr: se });
        },
      );
    });
    const rawHeaders = await readFile(headerFile, 'latin1').catch(() => '');
    const blocks = rawHeaders.split(/\r\n\r\n/).filter((b) => b.startsWith('HTTP/'));
    const last = blocks[blocks.length - 1] ?? '';
    const lines = last.split('\r\n').slice(1);
    const headerLines: [string, string][] = lines
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
    const headers = Object.fromEntries(headerLines);
    const body = await readFile(bodyFile).catch(() => Buffer.alloc(0));
    return { status: Number(stdout.trim().slice(-3)), headers, headerLines, body, stdout, stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Resolves with the first bus event that matches (no timeouts: the test runner's own limit applies). */
export function waitForEvent(h: RunningHttp, match: (e: BootlabEvent) => boolean): Promise<BootlabEvent> {
  const found = h.events.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const off = h.bus.onAny((e) => {
      if (match(e)) {
        off();
        resolve(e);
      }
    });
  });
}

/** Resolves once `condition` holds, re-checked after every bus event (no timeouts). */
export function waitUntil(h: RunningHttp, condition: () => boolean): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = h.bus.onAny(() => {
      if (condition()) {
        off();
        resolve();
      }
    });
  });
}

/** Every payload of one event type seen so far, typed. */
export function payloads<T extends BootlabEventType>(h: RunningHttp, type: T): BootlabEventMap[T][] {
  return h.events.filter((e) => e.type === type).map((e) => e.payload as BootlabEventMap[T]);
}

/** The first payload of `type` that matches, now or when it arrives. */
export async function waitForPayload<T extends BootlabEventType>(
  h: RunningHttp,
  type: T,
  match: (p: BootlabEventMap[T]) => boolean,
): Promise<BootlabEventMap[T]> {
  const e = await waitForEvent(h, (ev) => ev.type === type && match(ev.payload as BootlabEventMap[T]));
  return e.payload as BootlabEventMap[T];
}
