import type { BrowserWindowConstructorOptions, HandlerDetails, Session, WebContents } from 'electron';

/**
 * The window's security settings (Electron's security checklist): an isolated, sandboxed renderer without
 * Node, a strict CSP, no navigation away from the UI, no new windows, no permissions. Written against the
 * small slices of Electron's API they use, so unit tests pass fakes.
 */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Bootlab',
    backgroundColor: '#f3f5f8',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/**
 * CSP for the UI. Scripts only from the UI's own origin; inline styles are allowed because xterm.js and
 * React style attributes need them; the API and its WebSocket on the same loopback origin.
 */
export function contentSecurityPolicy(uiOrigin: string): string {
  const ws = uiOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Only the UI's own origin may be shown in the window. */
export function isAllowedNavigation(url: string, uiOrigin: string): boolean {
  try {
    return new URL(url).origin === uiOrigin;
  } catch {
    return false;
  }
}

/** Links we hand to the system browser: http(s) only, never file:, javascript:, custom schemes. */
export function isSafeExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 2048) return false;
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

type HeadersSession = Pick<
  Session,
  'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'
>;

/** Adds the CSP header to every response from the UI origin and denies every permission request. */
export function secureSession(session: HeadersSession, uiOrigin: string): void {
  const csp = contentSecurityPolicy(uiOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (isAllowedNavigation(details.url, uiOrigin)) {
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === 'content-security-policy') delete headers[key];
      }
      headers['Content-Security-Policy'] = [csp];
    }
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Denies navigation away from the UI and every new window. A plain http(s) link the user clicked (with
 * target=_blank or a foreign URL) opens in the system browser instead.
 */
export function guardContents(
  contents: GuardedContents,
  uiOrigin: string,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url, uiOrigin)) return;
    event.preventDefault();
    if (isSafeExternalUrl(url)) openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, uiOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isSafeExternalUrl(details.url) && !isAllowedNavigation(details.url, uiOrigin))
      openExternal(details.url);
    return { action: 'deny' };
  });
}

/**
 * No lost work when the window closes: the UI's beforeunload guard (renderer/src/app/unsaved-guard.ts)
 * makes Electron fire 'will-prevent-unload' and keep the window; Electron shows no prompt of its own, so
 * ask here, and close for real (`leave`) only when the person chooses to discard the edits.
 */
export function askBeforeLosingEdits(
  contents: Pick<WebContents, 'on'>,
  ask: () => Promise<boolean>,
  leave: () => void,
): void {
  contents.on('will-prevent-unload', () => {
    void ask().then((discard) => {
      if (discard) leave();
    });
  });
}
