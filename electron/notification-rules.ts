import type { LiveEvent } from './control-client.js';

/**
 * Which live events become a desktop notification, and what it says. One table: to notify on a new event,
 * add a rule. Names follow services/shared/events.ts (client.session, build.output with a state,
 * library.download); build.finished is accepted too (see docs/decisions.md "Desktop"). Payloads are read
 * defensively: a field of the wrong type is ignored, never trusted.
 */
export type ToastKind = 'booted' | 'boot-failed' | 'build' | 'download';

export interface Toast {
  kind: ToastKind;
  title: string;
  body: string;
  /** Failures stay in the summary's wording ("2 failed") and are kept even when the rest is summarized. */
  failure: boolean;
}

type Json = Record<string, unknown>;
const text = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.trim() !== ''
    ? v
        .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
        .trim()
        .slice(0, max)
    : undefined;

/** What a rule remembers between events (a machine's last stage, so only a change notifies). */
export interface RuleMemory {
  stages: Map<string, string>;
}

export function newMemory(): RuleMemory {
  return { stages: new Map() };
}

const FINISHED_STAGES = new Set(['handed-over', 'booted']);

/** "pc-12 (52:54:00:12:34:56)" or the IP, whichever is known. */
function machineName(p: Json): string {
  const host = text(p.hostname, 64);
  const id = text(p.mac, 32) ?? text(p.ip, 64) ?? text(p.key, 64) ?? 'A machine';
  return host ? `${host} (${id})` : id;
}

export type Rule = (payload: Json, memory: RuleMemory) => Toast | undefined;

export const RULES: Record<string, Rule> = {
  'client.session': (p, memory) => {
    const key = text(p.key, 80);
    const stage = text(p.stage, 40);
    if (!key || !stage) return undefined;
    const before = memory.stages.get(key);
    memory.stages.set(key, stage);
    if (memory.stages.size > 10_000) memory.stages.delete(memory.stages.keys().next().value!);
    if (before === stage) return undefined; // same stage again (a progress update): nothing new
    if (FINISHED_STAGES.has(stage)) {
      return {
        kind: 'booted',
        title: 'Machine booted',
        body: `${machineName(p)} finished booting${text(p.menuEntry, 80) ? ` ${text(p.menuEntry, 80)}` : ''}.`,
        failure: false,
      };
    }
    if (stage === 'failed') {
      const reason = text(p.error, 300) ?? text(p.lastMessage, 300) ?? 'no reason was reported';
      return {
        kind: 'boot-failed',
        title: 'Machine failed to boot',
        body: `${machineName(p)}: ${reason}. Open Bootlab's Clients page for its timeline.`,
        failure: true,
      };
    }
    return undefined;
  },
  // services/builder reports state changes on 'build.output' (state set, data ''): only the change to
  // succeeded or failed notifies; output chunks carry no state and are skipped at once.
  'build.output': (p, memory) => {
    const state = text(p.state, 20);
    const id = text(p.buildId, 80);
    if (!state || !id) return undefined;
    const before = memory.stages.get(`build:${id}`);
    memory.stages.set(`build:${id}`, state);
    if (before === state || (state !== 'succeeded' && state !== 'failed')) return undefined;
    const seconds = typeof p.elapsedMs === 'number' ? ` in ${Math.round(p.elapsedMs / 1000)} s` : '';
    return state === 'succeeded'
      ? {
          kind: 'build',
          title: 'Build finished',
          body: `iPXE build ${id} finished${seconds}. Serve it from the Builder page.`,
          failure: false,
        }
      : {
          kind: 'build',
          title: 'Build failed',
          body: `iPXE build ${id} failed${seconds}. The Builder page shows make's output.`,
          failure: true,
        };
  },
  'build.finished': (p) => {
    const name = text(p.name, 80) ?? text(p.buildId, 80) ?? 'An iPXE build';
    if (p.ok === false) {
      return {
        kind: 'build',
        title: 'Build failed',
        body: `${name}: ${text(p.error, 300) ?? 'see the Builder page for the compiler output'}.`,
        failure: true,
      };
    }
    return {
      kind: 'build',
      title: 'Build finished',
      body: `${name} is built and ready to serve.`,
      failure: false,
    };
  },
  // services/library/views.ts DownloadView: 'done' means verified and in place (sent up to 4/s, so only the
  // change to done or failed notifies).
  'library.download': (p, memory) => {
    const id = text(p.id, 80);
    const state = text(p.state, 20);
    if (!id || !state) return undefined;
    const before = memory.stages.get(`download:${id}`);
    memory.stages.set(`download:${id}`, state);
    if (before === state) return undefined;
    const name = text(p.name, 120) ?? text(p.fileName, 120) ?? id;
    if (state === 'done' || state === 'verified') {
      return {
        kind: 'download',
        title: 'Download verified',
        body: `${name} downloaded and its checksum matches.`,
        failure: false,
      };
    }
    if (state === 'failed') {
      return {
        kind: 'download',
        title: 'Download failed',
        body: `${name}: ${text(p.error, 300) ?? 'see the Library page'}.`,
        failure: true,
      };
    }
    return undefined;
  },
};

/** The toasts a batch of live events asks for, in order. */
export function toastsFor(events: readonly LiveEvent[], memory: RuleMemory): Toast[] {
  const out: Toast[] = [];
  for (const event of events) {
    const rule = RULES[event.type];
    if (!rule || typeof event.payload !== 'object' || event.payload === null) continue;
    const toast = rule(event.payload as Json, memory);
    if (toast) out.push(toast);
  }
  return out;
}
