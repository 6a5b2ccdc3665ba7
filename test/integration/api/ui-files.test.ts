import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackServeArgs, startBootlab, type RunningBootlab } from '../../helpers/bootlab-process.js';

// The control port serves the built UI from disk through the same file path as the boot server
// (boot-root.ts resolution, serve-entity.ts rules, file-pump.ts body): index.html for every app route,
// hashed assets as files, nothing outside the UI folder and no hidden files.

let app: RunningBootlab;
const uiDir = mkdtempSync(join(tmpdir(), 'bootlab-ui-files-'));
const index = '<!doctype html><title>Bootlab test UI</title>\n';
const asset = 'console.log("asset");\n'.repeat(2000);

before(async () => {
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), index);
  writeFileSync(join(uiDir, 'assets', 'app-1a2b3c.js'), asset);
  writeFileSync(join(uiDir, 'assets', '.secret'), 'no');
  writeFileSync(join(tmpdir(), 'bootlab-ui-outside.txt'), 'CONTENT-BESIDE-THE-UI-7f3');
  app = await startBootlab(
    await loopbackServeArgs(mkdtempSync(join(tmpdir(), 'bootlab-ui-data-')), {
      freePorts: [],
      extra: ['--no-start', '--ui-dir', uiDir],
    }),
  );
});

after(async () => {
  await app?.stop();
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(app.base);
  return new Promise((resolve, reject) => {
    // A raw path (no URL normalisation by the client), so "/assets/../../x" reaches the server as sent.
    request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('every app route answers index.html with the page security policy', async () => {
  for (const path of ['/', '/menu', '/builder/jobs/42']) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.body, index, path);
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
  }
});

test('a hashed asset is served whole, by range, and as 304 when the browser has it', async () => {
  const whole = await get('/assets/app-1a2b3c.js');
  assert.equal(whole.status, 200);
  assert.equal(whole.body, asset);
  assert.match(String(whole.headers['content-type']), /javascript/);
  const tag = String(whole.headers.etag);
  assert.ok(tag.length > 2);
  const again = await get('/assets/app-1a2b3c.js', { 'if-none-match': tag });
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  const part = await get('/assets/app-1a2b3c.js', { range: 'bytes=10-19' });
  assert.equal(part.status, 206);
  assert.equal(part.body, asset.slice(10, 20));
});

test('missing assets, hidden files and paths out of the UI folder are refused', async () => {
  assert.equal((await get('/assets/nope.js')).status, 404);
  assert.equal((await get('/assets/.secret')).status, 403);
  assert.equal((await get('/assets/%ZZ.js')).status, 400);
  // Dot segments, plain, percent-encoded or as an encoded slash: never the file beside the UI folder
  // (the first two are folded away by URL parsing and land on index.html, the last is refused).
  for (const path of [
    '/assets/../../bootlab-ui-outside.txt',
    '/assets/%2e%2e/%2e%2e/bootlab-ui-outside.txt',
    '/assets/..%2f..%2fbootlab-ui-outside.txt',
  ]) {
    const r = await get(path);
    assert.doesNotMatch(r.body, /CONTENT-BESIDE-THE-UI/, path);
    assert.ok(r.status >= 400 || r.body === index, `${path}: ${r.status}`);
  }
});
