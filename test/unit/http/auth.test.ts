import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Authenticator, NONCE_LIFETIME_MS, parseAuthParams, ruleFor } from '../../../services/http/auth.js';
import { httpAuthRuleSchema, type HttpAuthRule } from '../../../services/http/config.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const rule: HttpAuthRule = httpAuthRuleSchema.parse({
  pathPrefix: '/private/',
  username: 'tech',
  password: 'pw',
});

/** The Authorization header iPXE builds (src/net/tcp/httpdigest.c: qop=auth, nc=00000001, 8-hex cnonce). */
function ipxeDigest(challenge: string, method: string, uri: string, user: string, pass: string): string {
  const c = parseAuthParams(challenge.replace(/^Digest /, ''));
  const cnonce = '0badf00d';
  let ha1 = md5(`${user}:${c.realm}:${pass}`);
  const algorithm = c.algorithm?.toUpperCase() === 'MD5-SESS' ? 'MD5-sess' : 'MD5';
  if (algorithm === 'MD5-sess') ha1 = md5(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${c.nonce}:00000001:${cnonce}:auth:${ha2}`);
  return `Digest realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", username="${user}", qop=auth, algorithm=${algorithm}, cnonce="${cnonce}", nc=00000001, response="${response}"`;
}

test('ruleFor picks the longest matching prefix, on whole path segments', () => {
  const rules = [rule, { ...rule, pathPrefix: '/private/win/' }, { ...rule, pathPrefix: '/x' }];
  assert.equal(ruleFor(rules, '/private/a.img')?.pathPrefix, '/private/');
  assert.equal(ruleFor(rules, '/private/win/install.wim')?.pathPrefix, '/private/win/');
  assert.equal(ruleFor(rules, '/private')?.pathPrefix, '/private/');
  assert.equal(ruleFor(rules, '/x/y')?.pathPrefix, '/x');
  assert.equal(ruleFor(rules, '/xy'), undefined);
  assert.equal(ruleFor(rules, '/public/a'), undefined);
});

test('Digest the way iPXE computes it is accepted; a wrong password or another URI is not', () => {
  const auth = new Authenticator();
  const [digest, basic] = auth.challenges(rule);
  assert.match(digest!, /^Digest /);
  assert.match(basic!, /^Basic /);
  const ok = auth.check(
    rule,
    'GET',
    '/private/a.img',
    ipxeDigest(digest!, 'GET', '/private/a.img', 'tech', 'pw'),
  );
  assert.deepEqual(ok, { ok: true, user: 'tech' });
  const wrong = auth.check(
    rule,
    'GET',
    '/private/a.img',
    ipxeDigest(digest!, 'GET', '/private/a.img', 'tech', 'nope'),
  );
  assert.equal(wrong.ok, false);
  const otherUri = auth.check(
    rule,
    'GET',
    '/private/b.img',
    ipxeDigest(digest!, 'GET', '/private/a.img', 'tech', 'pw'),
  );
  assert.equal(otherUri.ok, false);
  const md5sess = ipxeDigest(
    digest!.replace('algorithm=MD5', 'algorithm=MD5-sess'),
    'GET',
    '/private/a.img',
    'tech',
    'pw',
  );
  assert.equal(auth.check(rule, 'GET', '/private/a.img', md5sess).ok, true);
});

test('nonces from another server or older than the lifetime are refused (stale is flagged)', () => {
  let now = 1_000_000;
  const auth = new Authenticator(undefined, () => now);
  const other = new Authenticator();
  const forged = ipxeDigest(other.challenges(rule)[0]!, 'GET', '/private/a', 'tech', 'pw');
  assert.equal(auth.check(rule, 'GET', '/private/a', forged).ok, false);
  const header = ipxeDigest(auth.challenges(rule)[0]!, 'GET', '/private/a', 'tech', 'pw');
  now += NONCE_LIFETIME_MS + 1;
  const stale = auth.check(rule, 'GET', '/private/a', header);
  assert.equal(stale.ok, false);
  assert.ok(!stale.ok && stale.challenges[0]!.includes('stale=true'));
});

test('Basic: right credentials pass, wrong or malformed ones do not; schemes follow the rule', () => {
  const auth = new Authenticator();
  const b = (s: string): string => `Basic ${Buffer.from(s).toString('base64')}`;
  assert.equal(auth.check(rule, 'GET', '/private/a', b('tech:pw')).ok, true);
  assert.equal(auth.check(rule, 'GET', '/private/a', b('tech:pw2')).ok, false);
  assert.equal(auth.check(rule, 'GET', '/private/a', b('techpw')).ok, false);
  assert.equal(auth.check(rule, 'GET', '/private/a', 'Basic !!!').ok, false);
  assert.equal(auth.check(rule, 'GET', '/private/a', 'Bearer x').ok, false);
  const digestOnly = { ...rule, scheme: 'digest' as const };
  assert.equal(auth.check(digestOnly, 'GET', '/private/a', b('tech:pw')).ok, false);
  assert.equal(new Authenticator().challenges(digestOnly).length, 1);
  const basicOnly = { ...rule, scheme: 'basic' as const };
  assert.deepEqual(new Authenticator().challenges(basicOnly), ['Basic realm="Bootlab", charset="UTF-8"']);
});

test('parseAuthParams reads quoted and bare values', () => {
  assert.deepEqual(parseAuthParams('realm="a b", qop=auth, nc=00000001, uri="/x?a=1,b"'), {
    realm: 'a b',
    qop: 'auth',
    nc: '00000001',
    uri: '/x?a=1,b',
  });
});
