import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string): string => `test/fixtures/run-tests/${name}.fixture.ts`;

function runTests(file: string, ci: boolean): { status: number | null; out: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CI;
  delete env.NODE_TEST_CONTEXT; // the child is its own top-level run, not a subtest of this one
  if (ci) env.CI = 'true';
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', fixture(file)], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('CI=true: a run in which a test skips (or is todo) fails and names each one with its reason', () => {
  const r = runTests('skips', true);
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /SKIP needs a device this machine lacks .*: no \/dev\/net\/tun here/);
  assert.match(r.out, /TODO not written yet .*: waiting for the builder/);
  assert.match(r.out, /CI=true and 2 test\(s\) skipped or todo/);
});

test('locally the same run passes and lists the skips in the summary', () => {
  const r = runTests('skips', false);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /2 test\(s\) did not run:/);
  assert.match(r.out, /SKIP needs a device this machine lacks/);
});

test('CI=true with nothing skipped passes', () => {
  const r = runTests('passes', true);
  assert.equal(r.status, 0, r.out);
  assert.doesNotMatch(r.out, /did not run/);
});
