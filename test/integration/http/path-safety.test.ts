import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { curl, payloads, startHttp, type RunningHttp } from './harness.js';

// Requests that try to leave the boot root or read hidden files are refused, with real curl (--path-as-is so
// curl itself does not clean the path) and raw sockets for what curl will not send.

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
let h: RunningHttp;
let listing: RunningHttp;

function layout(root: string, dir: string): void {
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'ok.txt'), 'fine');
  writeFileSync(join(root, '.hidden'), SECRET);
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), SECRET);
  writeFileSync(join(root, 'sub', 'file.txt'), 'sub file');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
  symlinkSync(dir, join(root, 'dir-out'));
  symlinkSync(join(root, 'ok.txt'), join(root, 'link-in.txt'));
}

before(async () => {
  h = await startHttp({}, layout);
  listing = await startHttp({ directoryListing: true }, layout);
});

after(async () => {
  await h.stop();
  await listing.stop();
});

const attempts = [
  '/../secret.txt',
  '/sub/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/%2e%2e/secret.txt',
  '/sub/%2e%2e/%2e%2e/secret.txt',
  '/..%2fsecret.txt',
  '/..%5csecret.txt',
  '/sub%5c..%5c..%5csecret.txt',
  '/%252e%252e/secret.txt',
  '/ok.txt%00.png',
  '/%00',
  '/link-out.txt',
  '/dir-out/secret.txt',
  '/.hidden',
  '/.git/config',
  '/sub/../.hidden',
  '/%2ehidden',
  '//etc/passwd',
  '/C:/secret.txt',
];

test('traversal, encoded dots, backslashes, NUL, symlinks out and dotfiles are all refused', async () => {
  for (const path of attempts) {
    const r = await curl(`${h.base}${path}`, ['--path-as-is']);
    assert.ok(r.status === 403 || r.status === 404 || r.status === 400, `${path} answered ${r.status}`);
    assert.ok(!r.body.toString().includes(SECRET), `${path} leaked the secret`);
  }
  // Refusals are counted as such, not as errors.
  assert.equal(payloads(h, 'log').filter((l) => l.level === 'error').length, 0);
});

test('a raw backslash path and a broken percent-escape get 400/403/404, and the server keeps serving', async () => {
  for (const target of ['/..\\..\\secret.txt', '/sub\\..\\..\\secret.txt', '/%zz', '/%']) {
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(h.port, '127.0.0.1', () =>
        s.end(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      let buf = '';
      s.on('data', (d) => (buf += d.toString('latin1')));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 (400|403|404) /, `${target}: ${reply.slice(0, 40)}`);
    assert.ok(!reply.includes(SECRET));
  }
  const garbage = await new Promise<string>((resolve) => {
    const s = connect(h.port, '127.0.0.1', () => s.write('\x00\x01 NOT HTTP AT ALL\r\n\r\n'));
    let buf = '';
    s.on('data', (d) => (buf += d.toString('latin1')));
    s.on('close', () => resolve(buf));
    s.on('error', () => resolve(buf));
  });
  assert.match(garbage, /^HTTP\/1\.1 400|^$/);
  const ok = await curl(`${h.base}/ok.txt`);
  assert.equal(ok.body.toString(), 'fine');
});

test('symlinks that stay inside the root are served', async () => {
  const r = await curl(`${h.base}/link-in.txt`);
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), 'fine');
});

test('directories: 404 without listing; with listing turned on, names without dot-files or escapes', async () => {
  const off = await curl(`${h.base}/sub/`);
  assert.equal(off.status, 404);
  const root = await curl(`${listing.base}/`);
  assert.equal(root.status, 200);
  const html = root.body.toString();
  assert.match(html, /href="\/sub\/"/);
  assert.match(html, /href="\/ok\.txt"/);
  assert.ok(!html.includes('.hidden') && !html.includes('.git'));
  const sub = await curl(`${listing.base}/sub`);
  assert.match(sub.body.toString(), /href="\/sub\/file\.txt"/);
  const out = await curl(`${listing.base}/dir-out/`);
  assert.equal(out.status, 403); // a symlinked directory that leads out of the root
  assert.ok(!out.body.toString().includes('secret.txt'));
});
