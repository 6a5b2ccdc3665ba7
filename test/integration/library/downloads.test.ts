/**
 * The download manager against a local HTTP origin playing the publisher (no internet): a transfer cut
 * halfway resumes with Range and completes; a stop mid-download resumes after a restart from the saved
 * queue; a corrupted file is refused and never reaches the ISO folder; a checksum file with a bad
 * signature (real gpgv, a key made by the test with gpg) is refused and a good one accepted; a dead first
 * mirror falls back to the next; progress events are bounded in rate.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CatalogItem } from '../../../services/library/catalog-model.js';
import { DownloadManager } from '../../../services/library/download-manager.js';
import type { DownloadView } from '../../../services/library/views.js';
import { Origin, sha256 } from './origin.js';

const skip =
  spawnSync('gpg', ['--version']).status === 0 && spawnSync('gpgv', ['--version']).status === 0
    ? false
    : 'gpg/gpgv are not installed (Debian packages gnupg, gpgv)';

function gpg(home: string, args: string[], input?: string): string {
  const r = spawnSync(
    'gpg',
    ['--batch', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
    {
      encoding: 'utf8',
      input,
    },
  );
  if (r.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('downloads from a publisher origin', { skip }, () => {
  let origin: Origin;
  const root = mkdtempSync(join(tmpdir(), 'bootlab-dl-'));
  const isoDir = join(root, 'boot', 'isos');
  const gnupg = join(root, 'gnupg');
  const keyDir = join(root, 'keys');
  const big = randomBytes(3 * 1024 * 1024 + 123);
  const small = randomBytes(300 * 1024);
  let fingerprint = '';

  before(async () => {
    origin = await Origin.start();
    mkdirSync(gnupg, { mode: 0o700 });
    mkdirSync(keyDir);
    gpg(gnupg, [
      '--quick-gen-key',
      'Bootlab Test Publisher <publisher@example.invalid>',
      'ed25519',
      'sign',
      'never',
    ]);
    writeFileSync(join(keyDir, 'publisher.gpg'), Buffer.from(gpg(gnupg, ['--export', '--armor']), 'utf8'));
    fingerprint = /^fpr:+([0-9A-F]+):/m.exec(gpg(gnupg, ['--with-colons', '--list-keys']))![1]!;
    const sums = `${sha256(big)}  big.iso\n${sha256(small)} *small.iso\n`;
    origin.set('/pub/SHA256SUMS', sums);
    writeFileSync(join(root, 'SHA256SUMS'), sums);
    origin.set(
      '/pub/SHA256SUMS.gpg',
      gpg(gnupg, ['--detach-sign', '--armor', '-o', '-', join(root, 'SHA256SUMS')]),
    );
    writeFileSync(join(root, 'other'), 'something else\n');
    origin.set('/bad/SHA256SUMS', sums);
    origin.set(
      '/bad/SHA256SUMS.gpg',
      gpg(gnupg, ['--detach-sign', '--armor', '-o', '-', join(root, 'other')]),
    );
  });
  after(async () => {
    await origin?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  function manager(dataDir: string, events: DownloadView[] = [], progressMs = 250): DownloadManager {
    return new DownloadManager({
      dataDir,
      destination: () => ({ dir: isoDir, rel: 'isos' }),
      keyPath: (f) => (existsSync(join(keyDir, f)) ? join(keyDir, f) : undefined),
      parallel: () => 2,
      onUpdate: (v) => events.push(v),
      progressMs,
    });
  }

  function item(id: string, fileName: string, urls: string[], extra: Partial<CatalogItem> = {}): CatalogItem {
    return {
      id,
      name: id,
      description: '',
      homepage: 'https://example.invalid/',
      kind: 'iso',
      fileName,
      urls,
      checksum: { algorithm: 'sha256', urls: [origin.url('/pub/SHA256SUMS')] },
      ...extra,
    };
  }

  async function settle(m: DownloadManager, id: string, timeoutMs = 60_000): Promise<DownloadView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = m.list().find((d) => d.id === id)!;
      if (v.state === 'done' || v.state === 'failed') return v;
      if (Date.now() > until) throw new Error(`download ${id} still ${v.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('a transfer cut halfway resumes with Range and completes, verified', async () => {
    origin.set('/a/big.iso', { body: big, cutFirstAt: Math.floor(big.length / 2) });
    const m = manager(join(root, 'data-cut'));
    await m.load();
    const v = m.add(item('cut', 'big.iso', [origin.url('/a/big.iso')]));
    const done = await settle(m, v.id);
    assert.equal(done.state, 'done', done.error);
    const ranges = origin.rangeRequests('/a/big.iso');
    assert.equal(ranges.length, 1, 'one resumed request');
    const from = Number(/^bytes=(\d+)-$/.exec(ranges[0]!)![1]);
    assert.ok(from > 0 && from <= big.length / 2, `resumed from byte ${from}`);
    assert.ok(readFileSync(join(isoDir, 'big.iso')).equals(big));
    assert.match(done.verification ?? '', /SHA-256 matches/);
    assert.equal(done.bootPath, 'isos/big.iso');
    await m.close();
  });

  test('a download stopped midway resumes after a restart from the saved queue', async () => {
    origin.set('/slow/small.iso', { body: small, chunkDelayMs: 150 });
    const dataDir = join(root, 'data-restart');
    const first = manager(dataDir);
    await first.load();
    const v = first.add(item('restart', 'small.iso', [origin.url('/slow/small.iso')]));
    while ((first.list()[0]?.bytes ?? 0) < 128 * 1024) await new Promise((r) => setTimeout(r, 20));
    await first.close();
    const saved = JSON.parse(readFileSync(join(dataDir, 'library', 'downloads.json'), 'utf8')) as {
      downloads: { state: string }[];
    };
    assert.equal(saved.downloads[0]!.state, 'queued', 'the cut transfer is saved as queued');
    const second = manager(dataDir);
    await second.load();
    const done = await settle(second, v.id);
    assert.equal(done.state, 'done', done.error);
    const ranges = origin.rangeRequests('/slow/small.iso');
    assert.equal(ranges.length, 1);
    assert.ok(
      Number(/^bytes=(\d+)-$/.exec(ranges[0]!)![1]) >= 128 * 1024,
      'resumed past what the first run had',
    );
    assert.ok(readFileSync(join(isoDir, 'small.iso')).equals(small));
    await second.close();
  });

  test('a corrupted file is refused, deleted and never reaches the ISO folder', async () => {
    const bad = Buffer.from(small);
    bad[1000] = bad[1000]! ^ 0xff;
    origin.set('/c/small.iso', bad);
    const m = manager(join(root, 'data-corrupt'));
    await m.load();
    rmSync(join(isoDir, 'small.iso'), { force: true });
    const v = m.add(item('corrupt', 'small.iso', [origin.url('/c/small.iso')]));
    const done = await settle(m, v.id);
    assert.equal(done.state, 'failed');
    assert.match(done.error ?? '', /damaged: its SHA-256 does not match the publisher's checksum/);
    assert.match(done.error ?? '', /not offered for booting/);
    assert.equal(existsSync(join(isoDir, 'small.iso')), false);
    assert.equal(existsSync(join(root, 'data-corrupt', 'library', 'partial', `${v.id}.part`)), false);
    await m.close();
  });

  test('a checksum file with a bad signature is refused; a good signature is accepted', async () => {
    origin.set('/s/small.iso', small);
    const m = manager(join(root, 'data-sig'));
    await m.load();
    rmSync(join(isoDir, 'small.iso'), { force: true });
    const sig = (path: string): CatalogItem['signature'] => ({
      urls: [origin.url(path)],
      covers: 'checksum',
      keyFile: 'publisher.gpg',
    });
    const bad = m.add(
      item('badsig', 'small.iso', [origin.url('/s/small.iso')], {
        checksum: { algorithm: 'sha256', urls: [origin.url('/bad/SHA256SUMS')] },
        signature: sig('/bad/SHA256SUMS.gpg'),
      }),
    );
    const refused = await settle(m, bad.id);
    assert.equal(refused.state, 'failed');
    assert.match(refused.error ?? '', /signature check failed: the signature does not match/);
    assert.equal(existsSync(join(isoDir, 'small.iso')), false);
    const good = m.add(
      item('goodsig', 'small.iso', [origin.url('/s/small.iso')], { signature: sig('/pub/SHA256SUMS.gpg') }),
    );
    const ok = await settle(m, good.id);
    assert.equal(ok.state, 'done', ok.error);
    assert.match(ok.verification ?? '', new RegExp(`signature good \\(key ${fingerprint}\\)`));
    const nokey = m.add(
      item('nokey', 'small.iso', [origin.url('/s/small.iso')], {
        signature: { urls: [origin.url('/pub/SHA256SUMS.gpg')], covers: 'checksum', keyFile: 'missing.gpg' },
      }),
    );
    const refusedKey = await settle(m, nokey.id);
    assert.match(refusedKey.error ?? '', /key file missing\.gpg is not installed/);
    await m.close();
  });

  test('a dead first mirror falls back to the next, and progress events are bounded in rate', async (t) => {
    origin.set('/dead/big.iso', { body: big, status: 503 });
    origin.set('/mirror/big.iso', { body: big, chunkDelayMs: 25 });
    rmSync(join(isoDir, 'big.iso'), { force: true });
    const events: DownloadView[] = [];
    const m = manager(join(root, 'data-mirror'), events, 250);
    await m.load();
    const started = Date.now();
    const v = m.add(item('mirror', 'big.iso', [origin.url('/dead/big.iso'), origin.url('/mirror/big.iso')]));
    const done = await settle(m, v.id);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(done.state, 'done', done.error);
    assert.equal(done.url, origin.url('/mirror/big.iso'), 'the mirror delivered it');
    assert.ok(
      origin.requests.some((r) => r.path === '/dead/big.iso'),
      'the first address was tried',
    );
    const progress = events.filter((e) => e.state === 'downloading');
    // ~50 chunks of 64 KiB arrive; at most one progress event per 250 ms (+ state changes) goes out.
    const bound = Math.ceil(seconds * 4) + 6;
    assert.ok(
      progress.length <= bound,
      `${progress.length} progress events in ${seconds.toFixed(1)} s (bound ${bound})`,
    );
    assert.ok(progress.length >= 2, 'progress was reported');
    t.diagnostic(`${progress.length} progress events for ${big.length} bytes in ${seconds.toFixed(1)} s`);
    assert.ok(
      progress.some((e) => e.bytesPerSecond > 0 && e.total === big.length),
      'rate and total are known',
    );
    await m.close();
  });

  test('pause keeps the bytes, resume continues with Range; the parallel limit holds the rest in the queue', async () => {
    origin.set('/p/one.iso', { body: big, chunkDelayMs: 40 });
    origin.set('/p/two.iso', { body: small, chunkDelayMs: 40 });
    origin.set('/p/SHA256SUMS', `${sha256(big)}  one.iso\n${sha256(small)}  two.iso\n`);
    const m = new DownloadManager({
      dataDir: join(root, 'data-pause'),
      destination: () => ({ dir: join(root, 'boot-pause'), rel: 'isos' }),
      keyPath: () => undefined,
      parallel: () => 1,
      onUpdate: () => {},
    });
    await m.load();
    const sums = { algorithm: 'sha256' as const, urls: [origin.url('/p/SHA256SUMS')] };
    const one = m.add(item('one', 'one.iso', [origin.url('/p/one.iso')], { checksum: sums }));
    const two = m.add(item('two', 'two.iso', [origin.url('/p/two.iso')], { checksum: sums }));
    while ((m.list().find((d) => d.id === one.id)?.bytes ?? 0) < 256 * 1024)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(m.list().find((d) => d.id === two.id)!.state, 'queued', 'one at a time');
    const paused = await m.pause(one.id);
    assert.equal(paused.state, 'paused');
    assert.ok(paused.bytes >= 256 * 1024, 'the bytes are kept');
    // The slot is free: the second one runs now.
    const twoDone = await settle(m, two.id);
    assert.equal(twoDone.state, 'done', twoDone.error);
    m.resume(one.id);
    const oneDone = await settle(m, one.id);
    assert.equal(oneDone.state, 'done', oneDone.error);
    const ranges = origin.rangeRequests('/p/one.iso');
    assert.equal(ranges.length, 1);
    assert.ok(
      Number(/^bytes=(\d+)-$/.exec(ranges[0]!)![1]) >= paused.bytes - 64 * 1024,
      `resumed near ${paused.bytes}`,
    );
    assert.ok(readFileSync(join(root, 'boot-pause', 'one.iso')).equals(big));
    await m.close();
  });
});
