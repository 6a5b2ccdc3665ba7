import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SourceStore } from '../../../services/builder/sources.js';

/**
 * Source handling with the real git: a clone of a local repository at a tag (progress, version from
 * git describe), a clone that never gets an answer (a loopback server that accepts and stays silent) and
 * is cancelled (git's process group ends, the source says "Cancelled."), a ref that does not exist, a
 * folder that is not iPXE.
 */
const skip =
  spawnSync('git', ['--version']).status === 0 ? false : 'git is not installed (Debian package git)';

describe('iPXE sources', { skip }, () => {
  let dir: string;
  let repo: string;
  let silent: Server;
  const sockets: Socket[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootlab-sources-'));
    repo = join(dir, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(
      join(repo, 'src', 'Makefile'),
      'VERSION_MAJOR := 1\nVERSION_MINOR := 21\nVERSION_PATCH := 1\n',
    );
    writeFileSync(join(repo, 'src', 'Makefile.housekeeping'), '# stand-in\n');
    const g = (...a: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@bootlab.invalid', ...a]);
    g('init', '-q', '-b', 'master');
    g('add', '-A');
    g('commit', '-q', '-m', 'one');
    g('tag', 'v1.21.1');
    writeFileSync(join(repo, 'src', 'extra.c'), '/* later */\n');
    g('add', '-A');
    g('commit', '-q', '-m', 'two');
  });
  after(() => {
    for (const s of sockets) s.destroy();
    silent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('clone at a tag: ready, version from git describe, the tag checked out', async () => {
    const store = new SourceStore(join(dir, 'data1'));
    const started = await store.add({ kind: 'git', url: `file://${repo}`, ref: 'v1.21.1' });
    assert.equal(started.state, 'cloning');
    const done = await store.wait(started.id);
    assert.equal(done.state, 'ready', done.error);
    assert.equal(done.version, 'v1.21.1');
    assert.match(done.commit!, /^[0-9a-f]{40}$/);
    assert.equal(spawnSync('test', ['-e', join(done.srcDir, 'extra.c')]).status, 1, 'the tag, not master');
    const master = await store.wait(
      (await store.add({ kind: 'git', url: `file://${repo}`, ref: 'master' })).id,
    );
    assert.match(master.version!, /^v1\.21\.1-1-g[0-9a-f]+$/);
  });

  test('a ref that does not exist fails with what to do', async () => {
    const store = new SourceStore(join(dir, 'data2'));
    const done = await store.wait((await store.add({ kind: 'git', url: `file://${repo}`, ref: 'v9.9' })).id);
    assert.equal(done.state, 'failed');
    assert.match(done.error!, /no branch, tag or commit "v9\.9": check the name/);
  });

  test('a clone that gets no answer is cancelled: git ends, the source says so', async () => {
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const store = new SourceStore(join(dir, 'data3'));
    const started = await store.add({ kind: 'git', url: `git://127.0.0.1:${port}/ipxe.git`, ref: 'master' });
    assert.equal(started.state, 'cloning');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(store.cancelClone(started.id), true);
    const done = await store.wait(started.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error, 'Cancelled.');
  });

  test('refused: a folder that is not iPXE, a URL that is an option, a bad ref', async () => {
    const store = new SourceStore(join(dir, 'data4'));
    mkdirSync(join(dir, 'not-ipxe'));
    await assert.rejects(
      store.add({ kind: 'local', path: join(dir, 'not-ipxe') }),
      /is not an iPXE checkout \(no src\/Makefile there\)/,
    );
    await assert.rejects(
      store.add({ kind: 'git', url: '--upload-pack=touch /tmp/x' }),
      /does not look like a Git URL/,
    );
    await assert.rejects(
      store.add({ kind: 'git', url: `file://${repo}`, ref: '--orphan' }),
      /is not a branch, tag or commit name/,
    );
    await assert.rejects(
      store.add({ kind: 'tarball', path: join(dir, 'x.zip') }),
      /is not a \.tar\.gz or \.tar\.xz file/,
    );
  });
});
