import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpAuthRule } from './config.js';

/**
 * HTTP Basic (RFC 7617) and Digest (RFC 7616, MD5 / MD5-sess, qop=auth) for protected path prefixes.
 * Digest is what iPXE does best: it computes it itself from the URL's or the `username`/`password`
 * settings (src/net/tcp/httpdigest.c), always with nc=00000001 and a fresh challenge per download, so
 * nonces here are stateless (timestamp + HMAC) and nonce-count is not tracked. iPXE picks the FIRST scheme
 * it supports from the WWW-Authenticate headers (src/net/tcp/httpauth.c), hence Digest is offered first.
 */

export const NONCE_LIFETIME_MS = 5 * 60 * 1000;

export type AuthResult = { ok: true; user?: string } | { ok: false; challenges: string[]; reason: string };

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The rule with the longest prefix that covers `path` (decoded URL path), if any. */
export function ruleFor(rules: readonly HttpAuthRule[], path: string): HttpAuthRule | undefined {
  let best: HttpAuthRule | undefined;
  for (const r of rules) {
    const covers =
      path === r.pathPrefix ||
      path.startsWith(r.pathPrefix.endsWith('/') ? r.pathPrefix : `${r.pathPrefix}/`) ||
      (r.pathPrefix.endsWith('/') && path === r.pathPrefix.slice(0, -1));
    if (covers && (!best || r.pathPrefix.length > best.pathPrefix.length)) best = r;
  }
  return best;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses `key=value, key="quoted value"` lists (RFC 7235 §2.1 auth-param). */
export function parseAuthParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return out;
}

export class Authenticator {
  private readonly secret: Buffer;

  constructor(
    secret: Buffer = randomBytes(32),
    private readonly now: () => number = Date.now,
  ) {
    this.secret = secret;
  }

  makeNonce(realm: string): string {
    const ts = this.now().toString(36);
    const mac = createHmac('sha256', this.secret).update(`${ts}:${realm}`).digest('base64url').slice(0, 32);
    return `${ts}.${mac}`;
  }

  /** 'ok', 'stale' (ours but too old) or 'bad'. */
  checkNonce(nonce: string, realm: string): 'ok' | 'stale' | 'bad' {
    const [ts, mac] = nonce.split('.');
    if (!ts || !mac) return 'bad';
    const expect = createHmac('sha256', this.secret)
      .update(`${ts}:${realm}`)
      .digest('base64url')
      .slice(0, 32);
    if (!safeEqual(mac, expect)) return 'bad';
    const age = this.now() - parseInt(ts, 36);
    return age >= 0 && age <= NONCE_LIFETIME_MS ? 'ok' : 'stale';
  }

  challenges(rule: HttpAuthRule, stale = false): string[] {
    const realm = rule.realm.replace(/["\\]/g, '');
    const out: string[] = [];
    if (rule.scheme !== 'basic') {
      out.push(
        `Digest realm="${realm}", qop="auth", algorithm=MD5, nonce="${this.makeNonce(realm)}"` +
          (stale ? ', stale=true' : ''),
      );
    }
    if (rule.scheme !== 'digest') out.push(`Basic realm="${realm}", charset="UTF-8"`);
    return out;
  }

  /** Checks the Authorization header of a request for a protected path. */
  check(
    rule: HttpAuthRule,
    method: string,
    requestUri: string,
    authorization: string | undefined,
  ): AuthResult {
    const fail = (reason: string, stale = false): AuthResult => ({
      ok: false,
      reason,
      challenges: this.challenges(rule, stale),
    });
    if (!authorization) return fail('no credentials');
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : authorization.slice(space + 1);
    if (scheme === 'basic' && rule.scheme !== 'digest')
      return this.checkBasic(rule, rest)
        ? { ok: true, user: rule.username }
        : fail('wrong user name or password (Basic)');
    if (scheme === 'digest' && rule.scheme !== 'basic') {
      const verdict = this.checkDigest(rule, method, requestUri, rest);
      return verdict === 'ok'
        ? { ok: true, user: rule.username }
        : fail(`Digest: ${verdict}`, verdict === 'stale nonce');
    }
    return fail(`scheme ${scheme} not accepted here`);
  }

  private checkBasic(rule: HttpAuthRule, token: string): boolean {
    let decoded: string;
    try {
      decoded = Buffer.from(token.trim(), 'base64').toString('utf8');
    } catch {
      return false;
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    // Both comparisons always run, so timing does not tell which part was wrong.
    const userOk = safeEqual(decoded.slice(0, colon), rule.username);
    const passOk = safeEqual(decoded.slice(colon + 1), rule.password);
    return userOk && passOk;
  }

  private checkDigest(rule: HttpAuthRule, method: string, requestUri: string, text: string): string {
    const p = parseAuthParams(text);
    const realm = rule.realm.replace(/["\\]/g, '');
    if (!p.username || !p.nonce || !p.response || p.uri === undefined) return 'missing fields';
    if (p.realm !== realm) return 'wrong realm';
    if (p.uri !== requestUri) return 'uri does not match the request';
    const nonce = this.checkNonce(p.nonce, realm);
    if (nonce === 'bad') return 'unknown nonce';
    if (nonce === 'stale') return 'stale nonce';
    const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5' && algorithm !== 'MD5-SESS') return `algorithm ${algorithm} not supported`;
    let ha1 = md5(`${rule.username}:${realm}:${rule.password}`);
    if (algorithm === 'MD5-SESS') ha1 = md5(`${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
    const ha2 = md5(`${method}:${p.uri}`);
    let expected: string;
    if (p.qop) {
      if (p.qop !== 'auth') return `qop ${p.qop} not supported`;
      if (!p.nc || !p.cnonce) return 'missing nc or cnonce';
      expected = md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    } else {
      expected = md5(`${ha1}:${p.nonce}:${ha2}`); // RFC 2069 compatibility (no qop)
    }
    const userOk = safeEqual(p.username, rule.username);
    const respOk = safeEqual(p.response.toLowerCase(), expected);
    return userOk && respOk ? 'ok' : 'wrong user name or password';
  }
}
