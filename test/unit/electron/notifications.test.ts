import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMemory, toastsFor, type Toast } from '../../../electron/notification-rules.js';
import { Notifier, summarize, type NotifierOptions } from '../../../electron/notifier.js';

const session = (key: string, stage: string, extra: Record<string, unknown> = {}) => ({
  type: 'client.session',
  payload: { key, mac: key, ip: null, stage, ...extra },
});

test('rules: a machine booting or failing notifies once per change; builds and verified downloads too', () => {
  const memory = newMemory();
  const toasts = toastsFor(
    [
      session('52:54:00:00:00:01', 'dhcp'),
      session('52:54:00:00:00:01', 'kernel'),
      session('52:54:00:00:00:01', 'handed-over', { hostname: 'pc-1' }),
      session('52:54:00:00:00:01', 'handed-over', { hostname: 'pc-1' }), // a progress update, same stage
      session('52:54:00:00:00:02', 'failed', {
        error: 'No boot file for EFI x64: PXE-E32 TFTP open timeout',
      }),
      session('52:54:00:00:00:03', 'booted'),
      { type: 'build.output', payload: { buildId: 'b7', data: 'CC foo.o\n' } },
      { type: 'build.output', payload: { buildId: 'b7', data: '', state: 'running', elapsedMs: 10 } },
      { type: 'build.output', payload: { buildId: 'b7', data: '', state: 'succeeded', elapsedMs: 61_400 } },
      { type: 'build.output', payload: { buildId: 'b7', data: '', state: 'succeeded', elapsedMs: 61_400 } },
      { type: 'build.output', payload: { buildId: 'b8', data: '', state: 'failed' } },
      { type: 'build.finished', payload: { buildId: 'b1', name: 'ipxe.efi (x86_64)', ok: true } },
      { type: 'build.finished', payload: { buildId: 'b2', ok: false, error: 'make exited with code 2' } },
      { type: 'library.download', payload: { id: 'd1', name: 'debian-13.iso', state: 'downloading' } },
      { type: 'library.download', payload: { id: 'd1', name: 'debian-13.iso', state: 'verifying' } },
      { type: 'library.download', payload: { id: 'd1', name: 'debian-13.iso', state: 'done' } },
      { type: 'library.download', payload: { id: 'd1', name: 'debian-13.iso', state: 'done' } },
      { type: 'log', payload: { message: 'hello' } },
      { type: 'client.session', payload: null },
      { type: 'client.session', payload: { key: 7, stage: 'failed' } },
    ],
    memory,
  );
  assert.deepEqual(
    toasts.map((t) => [t.kind, t.title, t.body]),
    [
      ['booted', 'Machine booted', 'pc-1 (52:54:00:00:00:01) finished booting.'],
      [
        'boot-failed',
        'Machine failed to boot',
        "52:54:00:00:00:02: No boot file for EFI x64: PXE-E32 TFTP open timeout. Open Bootlab's Clients page for its timeline.",
      ],
      ['booted', 'Machine booted', '52:54:00:00:00:03 finished booting.'],
      ['build', 'Build finished', 'iPXE build b7 finished in 61 s. Serve it from the Builder page.'],
      ['build', 'Build failed', "iPXE build b8 failed. The Builder page shows make's output."],
      ['build', 'Build finished', 'ipxe.efi (x86_64) is built and ready to serve.'],
      ['build', 'Build failed', 'b2: make exited with code 2.'],
      ['download', 'Download verified', 'debian-13.iso downloaded and its checksum matches.'],
    ],
  );
  // Control characters from the wire never reach the toast.
  const [t] = toastsFor([session('k', 'failed', { error: 'bad\u001b[31m\u202e text' })], newMemory());
  assert.ok(!t!.body.includes('\u001b') && !t!.body.includes('\u202e'), t!.body);
});

function clock(opts: Partial<NotifierOptions> = {}, enabled = () => true) {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const shown: { title: string; body: string; at: number }[] = [];
  const n = new Notifier(
    {
      show: (title, body) => shown.push({ title, body, at: now }),
      enabled,
      now: () => now,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn, id: nextId++ };
        timers.push(t);
        return t.id;
      },
      clearTimer: (id) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
    },
    { burst: 3, windowMs: 30_000, quietMs: 5_000, maxHoldMs: 60_000, ...opts },
  );
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const due = timers[0];
      if (!due || due.at > end) break;
      timers.shift();
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { n, shown, advance, pending: () => timers.length };
}

const booted = (i: number): Toast => ({
  kind: 'booted',
  title: 'Machine booted',
  body: `pc-${i} finished booting.`,
  failure: false,
});
const failed = (i: number): Toast => ({
  kind: 'boot-failed',
  title: 'Machine failed to boot',
  body: `pc-${i}: no boot file.`,
  failure: true,
});

test('a boot wave of 200 machines gives 3 toasts and one summary, not 200', () => {
  const { n, shown, advance } = clock();
  // 200 machines finish over 20 s (one every 100 ms), 7 of them fail.
  for (let i = 0; i < 200; i++) {
    n.push([i % 29 === 5 ? failed(i) : booted(i)]);
    advance(100);
  }
  assert.equal(shown.length, 3, 'the first three show at once');
  advance(5_000);
  assert.equal(shown.length, 4);
  const summary = shown[3]!;
  assert.equal(summary.title, 'Bootlab: 197 updates, 7 failed');
  assert.match(
    summary.body,
    /^7 machines failed to boot, 190 machines booted\. Last failure: pc-179: no boot file\.$/,
  );
  advance(120_000);
  assert.equal(shown.length, 4, 'nothing more');
});

test('a long wave still reports at least every maxHoldMs; quiet times show single toasts again', () => {
  const { n, shown, advance } = clock();
  for (let i = 0; i < 3; i++) n.push([booted(i)]);
  // Then one machine every 2 s for 150 s: never quiet for 5 s.
  for (let i = 3; i < 78; i++) {
    n.push([booted(i)]);
    advance(2_000);
  }
  const summaries = shown.filter((s) => s.title.startsWith('Bootlab:'));
  assert.ok(summaries.length >= 2 && summaries.length <= 3, `${summaries.length} summaries`);
  assert.ok(summaries[0]!.at <= 60_000, 'first summary within a minute');
  advance(60_000);
  const total =
    shown.filter((s) => !s.title.startsWith('Bootlab:')).length +
    shown
      .filter((s) => s.title.startsWith('Bootlab:'))
      .reduce((a, s) => a + Number(/: (\d+) updates/.exec(s.title)![1]), 0);
  assert.equal(total, 78, 'every event is in a toast or a summary');
  // Quiet for a full window: the next machine gets its own toast again.
  advance(60_000);
  n.push([booted(100)]);
  assert.equal(shown.at(-1)!.body, 'pc-100 finished booting.');
});

test('switched off in Settings: nothing shown, nothing held', () => {
  let on = false;
  const { n, shown, advance, pending } = clock({}, () => on);
  for (let i = 0; i < 50; i++) n.push([booted(i)]);
  advance(120_000);
  assert.equal(shown.length, 0);
  assert.equal(pending(), 0);
  on = true;
  n.push([booted(51)]);
  assert.equal(shown.length, 1);
});

test('summary wording', () => {
  assert.deepEqual(summarize([booted(1), booted(2)]), {
    title: 'Bootlab: 2 updates',
    body: '2 machines booted.',
  });
  assert.equal(
    summarize([
      booted(1),
      failed(2),
      { kind: 'download', title: 'Download verified', body: 'x', failure: false },
    ]).body,
    '1 machine failed to boot, 1 machine booted, 1 download finished. Last failure: pc-2: no boot file.',
  );
});
