import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Builder } from '../../../services/builder/builder.js';
import type { ToolProbe } from '../../../services/builder/toolchain.js';

// The builder's queue, cache, runner and cancel with a stand-in make (test/fixtures/builder/fake-make.sh);
// real iPXE builds are in test/integration/builder.
const FAKE_MAKE = resolve('test/fixtures/builder/fake-make.sh');
const FAKE_SRC = resolve('test/fixtures/builder/fake-ipxe');
const allTools: ToolProbe = { has: () => true, hasHeader: () => true, anyFile: () => true };

/** Gone, or a zombie waiting for a reaper (containers' pid 1 may not reap orphans). */
function ended(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

function setup(probe: ToolProbe = allTools) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bootlab-builder-unit-'));
  const calls = join(dataDir, 'make-calls.txt');
  process.env.FAKE_MAKE_CALLS = calls;
  const outputs: string[] = [];
  const states: string[] = [];
  const builder = new Builder({
    dataDir,
    makeCommand: FAKE_MAKE,
    probe,
    platform: 'linux',
    httpPort: () => 8080,
    events: { output: (_id, d) => outputs.push(d), state: (j) => states.push(j.state) },
  });
  const calls_ = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);
  return {
    dataDir,
    builder,
    outputs,
    states,
    calls: calls_,
    done: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

test('build, cache hit without make, script-only change rebuilds in the same work tree', async () => {
  const t = setup();
  try {
    const src = await t.builder.sources.add({ kind: 'local', path: FAKE_SRC });
    assert.equal(src.version, '9.8.7+');
    const req = { sourceId: src.id, targets: ['bin/undionly.kpxe'], features: ['syslog' as const] };
    const first = await t.builder.wait(t.builder.submit(req).id);
    assert.equal(first.state, 'succeeded', first.error);
    assert.equal(first.cached, false);
    assert.deepEqual(first.progress, { done: 20, total: 20 });
    const art = t.builder.artifacts.get(first.artifactIds[0]!)!;
    assert.match(
      readFileSync(art.path, 'utf8'),
      /FAKE IPXE IMAGE bin\/undionly\.kpxe\n#!ipxe\n# Bootlab iPXE/,
    );
    assert.match(art.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(art.features, ['syslog']);
    assert.equal(art.scriptHttpPort, 8080);
    assert.equal(t.calls().length, 1);
    assert.match(t.calls()[0]!, /^-j2 bin\/undionly\.kpxe CONFIG=bootlab EMBED=bootlab-files\/embed\.ipxe$/);
    assert.match(t.outputs.join(''), /\[BUILD\] bin\/object20\.o/);
    assert.ok(t.states.includes('running') && t.states.at(-1) === 'succeeded');

    const again = t.builder.submit(req);
    assert.equal(again.state, 'succeeded');
    assert.equal(again.cached, true);
    assert.deepEqual(again.artifactIds, first.artifactIds);
    assert.equal(t.calls().length, 1, 'make did not run for the identical request');

    const tree = t.builder.workTreeOf(req, 'bin/undionly.kpxe');
    const custom = { ...req, script: { kind: 'custom' as const, text: '#!ipxe\ndhcp\nshell\n' } };
    assert.equal(
      t.builder.workTreeOf(custom, 'bin/undionly.kpxe'),
      tree,
      'a script change keeps the work tree',
    );
    const third = await t.builder.wait(t.builder.submit(custom).id);
    assert.equal(third.state, 'succeeded');
    assert.notDeepEqual(third.artifactIds, first.artifactIds);
    assert.equal(t.calls().length, 2);
    assert.match(
      readFileSync(t.builder.artifacts.get(third.artifactIds[0]!)!.path, 'utf8'),
      /#!ipxe\ndhcp\nshell/,
    );
    const other = { ...req, features: ['syslog' as const, 'peerdist' as const] };
    assert.notEqual(
      t.builder.workTreeOf(other, 'bin/undionly.kpxe'),
      tree,
      'another overlay gets its own tree',
    );
  } finally {
    t.done();
  }
});

test('builds queue, one at a time; cancel ends the whole process group; a queued build cancels at once', async () => {
  const t = setup();
  process.env.FAKE_MAKE_DELAY = '0.2';
  const childFile = join(t.dataDir, 'child.pid');
  process.env.FAKE_MAKE_CHILD = childFile;
  try {
    const src = await t.builder.sources.add({ kind: 'local', path: FAKE_SRC });
    const a = t.builder.submit({ sourceId: src.id, targets: ['bin/undionly.kpxe'] });
    const b = t.builder.submit({ sourceId: src.id, targets: ['bin-x86_64-efi/ipxe.efi'] });
    assert.equal(t.builder.job(b.id)!.state, 'queued');
    for (let i = 0; i < 100 && !existsSync(childFile); i++) await new Promise((r) => setTimeout(r, 50));
    const child = Number(readFileSync(childFile, 'utf8'));
    assert.equal(t.builder.job(a.id)!.state, 'running');
    const bCancelled = t.builder.cancel(b.id);
    assert.equal(bCancelled.state, 'cancelled');
    t.builder.cancel(a.id);
    const aDone = await t.builder.wait(a.id);
    assert.equal(aDone.state, 'cancelled');
    assert.match(aDone.error!, /Build cancelled/);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(ended(child), "make's child (sleep 600) ended with the group");
    assert.equal(t.calls().length, 1, 'the queued build never started');
  } finally {
    delete process.env.FAKE_MAKE_DELAY;
    delete process.env.FAKE_MAKE_CHILD;
    t.done();
  }
});

test('a missing tool stops the build before make, with the package and command', async () => {
  const t = setup({ ...allTools, hasHeader: () => false });
  try {
    const src = await t.builder.sources.add({ kind: 'local', path: FAKE_SRC });
    const done = await t.builder.wait(
      t.builder.submit({ sourceId: src.id, targets: ['bin/undionly.kpxe'] }).id,
    );
    assert.equal(done.state, 'failed');
    assert.match(done.error!, /missing lzma\.h .*liblzma-dev.*sudo apt-get install liblzma-dev/);
    assert.equal(t.calls().length, 0, 'make never ran');
  } finally {
    t.done();
  }
});

test('a failing make: exit status and the known error in words', async () => {
  const t = setup();
  process.env.FAKE_MAKE_FAIL = '1';
  try {
    const src = await t.builder.sources.add({ kind: 'local', path: FAKE_SRC });
    const done = await t.builder.wait(
      t.builder.submit({ sourceId: src.id, targets: ['bin/undionly.kpxe'] }).id,
    );
    assert.equal(done.state, 'failed');
    assert.equal(done.exitCode, 2);
    assert.match(done.error!, /make stopped with exit status 2\. lzma\.h is missing: install liblzma-dev/);
    assert.equal(t.builder.artifactRecords().length, 0);
  } finally {
    delete process.env.FAKE_MAKE_FAIL;
    t.done();
  }
});

test('invalid requests and scripts are refused with every problem', async () => {
  const t = setup();
  try {
    const src = await t.builder.sources.add({ kind: 'local', path: FAKE_SRC });
    assert.throws(
      () =>
        t.builder.submit({
          sourceId: src.id,
          targets: ['bin/undionly.kpxe'],
          script: { kind: 'custom', text: 'dhcp\ngoto x\n' },
        }),
      (e: Error & { fields?: unknown[] }) =>
        /first line must be exactly "#!ipxe"/.test(e.message) &&
        /goto x/.test(e.message) &&
        e.fields?.length === 2,
    );
    assert.throws(
      () => t.builder.submit({ sourceId: src.id, targets: ['bin/x; rm -rf /'] }),
      /targets\.0: must be one of/,
    );
    assert.throws(
      () => t.builder.submit({ sourceId: 'git-000000000000', targets: ['bin/undionly.kpxe'] }),
      /no iPXE source/,
    );
  } finally {
    t.done();
  }
});
