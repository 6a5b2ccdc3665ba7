import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

// Port choice: 80 when allowed, else the fallback (8080 by default), and the summary says which.
// Runs the real service in a child process as the unprivileged user "nobody" (setpriv), so binding 80 fails
// the way it does for a normal desktop user.

const child = fileURLToPath(new URL('./fallback-child.ts', import.meta.url));

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to drop to the user "nobody" (CI runs as root)';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is missing';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function runAsNobody(http: object): {
  ok: boolean;
  summary?: string;
  listening?: string[];
  httpPort?: number;
  error?: { code: string };
} {
  const r = spawnSync(
    'setpriv',
    [
      '--reuid=nobody',
      '--regid=nogroup',
      '--clear-groups',
      '--inh-caps=-all',
      process.execPath,
      '--import',
      'tsx',
      child,
      JSON.stringify(http),
    ],
    { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  assert.ok(line.startsWith('{'), `child said: ${r.stdout} ${r.stderr}`);
  return JSON.parse(line);
}

test('without the right to bind 80 the service falls back and says so', { skip: unavailable() }, async () => {
  const fallback = await freePort();
  const r = runAsNobody({ port: 80, fallbackPort: fallback });
  assert.equal(r.ok, true);
  assert.equal(r.httpPort, fallback);
  assert.deepEqual(r.listening, [`tcp 127.0.0.1:${fallback}`]);
  assert.match(r.summary ?? '', new RegExp(`port 80 needs administrator rights, using ${fallback}`));
});

test(
  'when the fallback is the same port, the privilege error is reported as it is',
  { skip: unavailable() },
  () => {
    const r = runAsNobody({ port: 80, fallbackPort: 80 });
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'PORT_NEEDS_PRIVILEGE');
  },
);
