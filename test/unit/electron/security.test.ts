import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import {
  contentSecurityPolicy,
  guardContents,
  isAllowedNavigation,
  isSafeExternalUrl,
  secureSession,
  windowOptions,
} from '../../../electron/security.js';

const UI = 'http://127.0.0.1:41000';

test('the window runs the UI isolated, sandboxed, without Node', () => {
  const o = windowOptions('/app/dist/electron/preload.cjs');
  const w = o.webPreferences!;
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.preload, '/app/dist/electron/preload.cjs');
});

test('the CSP allows only the UI origin for scripts and the API', () => {
  const csp = contentSecurityPolicy(UI);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:41000/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('navigation stays on the UI origin; only plain http(s) links may go to the system browser', () => {
  assert.equal(isAllowedNavigation(`${UI}/#/settings`, UI), true);
  assert.equal(isAllowedNavigation('http://127.0.0.1:41001/', UI), false);
  assert.equal(isAllowedNavigation('https://evil.example/', UI), false);
  assert.equal(isAllowedNavigation('not a url', UI), false);
  assert.equal(isSafeExternalUrl('https://ipxe.org/appnote/chainloading'), true);
  assert.equal(isSafeExternalUrl('http://boot.netboot.xyz/'), true);
  for (const bad of [
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'https://user:pw@example.com/',
    42,
    'x'.repeat(3000),
  ]) {
    assert.equal(isSafeExternalUrl(bad), false, String(bad).slice(0, 40));
  }
});

test('the session adds the CSP to UI responses (replacing any other) and denies every permission', () => {
  let onHeaders:
    | ((
        details: { url: string; responseHeaders?: Record<string, string[]> },
        cb: (r: unknown) => void,
      ) => void)
    | undefined;
  let requestHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
  let checkHandler: (() => boolean) | undefined;
  const session = {
    webRequest: { onHeadersReceived: (fn: typeof onHeaders) => (onHeaders = fn) },
    setPermissionRequestHandler: (fn: typeof requestHandler) => (requestHandler = fn),
    setPermissionCheckHandler: (fn: typeof checkHandler) => (checkHandler = fn),
  };
  secureSession(session as unknown as Parameters<typeof secureSession>[0], UI);

  let result: { responseHeaders: Record<string, string[]> } | undefined;
  onHeaders!(
    {
      url: `${UI}/index.html`,
      responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
    },
    (r) => (result = r as typeof result),
  );
  assert.deepEqual(result!.responseHeaders['Content-Security-Policy'], [contentSecurityPolicy(UI)]);
  assert.equal(result!.responseHeaders['content-security-policy'], undefined);
  assert.deepEqual(result!.responseHeaders['Content-Type'], ['text/html']);

  onHeaders!(
    { url: 'https://example.com/', responseHeaders: { 'Content-Type': ['text/html'] } },
    (r) => (result = r as typeof result),
  );
  assert.equal(result!.responseHeaders['Content-Security-Policy'], undefined);

  let granted: boolean | undefined;
  requestHandler!({}, 'media', (ok) => (granted = ok));
  assert.equal(granted, false);
  assert.equal(checkHandler!(), false);
});

test('the window refuses foreign navigation and new windows; http(s) links open outside', () => {
  const contents = new EventEmitter() as EventEmitter & {
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void;
  };
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  contents.setWindowOpenHandler = (fn) => (openHandler = fn);
  const opened: string[] = [];
  guardContents(contents as unknown as Parameters<typeof guardContents>[0], UI, (url) => opened.push(url));

  const navigate = (type: string, url: string) => {
    let prevented = false;
    contents.emit(type, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  assert.equal(navigate('will-navigate', `${UI}/#/logs`), false, 'own UI allowed');
  assert.equal(navigate('will-navigate', 'https://ipxe.org/'), true);
  assert.equal(navigate('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(navigate('will-redirect', 'https://evil.example/'), true);
  assert.equal(navigate('will-attach-webview', 'about:blank'), true);
  assert.deepEqual(opened, ['https://ipxe.org/'], 'only the http(s) link went to the system browser');

  assert.deepEqual(openHandler!({ url: 'https://netboot.xyz/' }), { action: 'deny' });
  assert.deepEqual(openHandler!({ url: 'file:///etc/shadow' }), { action: 'deny' });
  assert.deepEqual(openHandler!({ url: `${UI}/#/menu` }), { action: 'deny' });
  assert.deepEqual(opened, ['https://ipxe.org/', 'https://netboot.xyz/']);
});
