import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Router } from '../../../services/api/router.js';
import type { BootlabError } from '../../../services/shared/errors.js';

type Routes = {
  'POST /api/services/:name/:action': { body: undefined; response: string };
  'POST /api/services/start-all': { body: undefined; response: string };
  'PUT /api/thing': { body: { n: number }; response: number };
  'GET /api/thing': { body: undefined; query: { n?: string }; response: number };
};

const schemas = {
  'PUT /api/thing': { body: z.object({ n: z.number() }) },
  'GET /api/thing': { query: z.object({ n: z.coerce.number().int().default(1) }) },
};

test('literal routes win over parameter routes; params are decoded', async () => {
  const r = new Router<Routes, typeof schemas>(schemas);
  r.add('POST /api/services/:name/:action', ({ params }) => `${params.name}/${params.action}`);
  r.add('POST /api/services/start-all', () => 'all');
  const all = r.match('POST', '/api/services/start-all');
  assert.ok('entry' in all);
  assert.equal(await r.run(all.entry, all.params, new URLSearchParams(), undefined), 'all');
  const one = r.match('POST', '/api/services/tf%74p/start');
  assert.ok('entry' in one);
  assert.equal(await r.run(one.entry, one.params, new URLSearchParams(), undefined), 'tftp/start');
});

test('wrong method is told apart from a missing route', () => {
  const r = new Router<Routes, typeof schemas>(schemas);
  r.add('PUT /api/thing', ({ body }) => body.n);
  const m = r.match('GET', '/api/thing');
  assert.ok(!('entry' in m) && m.methodMismatch);
  const n = r.match('GET', '/api/other');
  assert.ok(!('entry' in n) && !n.methodMismatch);
});

test('bodies are validated against the schema; routes without one refuse a body', async () => {
  const r = new Router<Routes, typeof schemas>(schemas);
  r.add('PUT /api/thing', ({ body }) => body.n * 2);
  r.add('POST /api/services/start-all', () => 'all');
  const put = r.match('PUT', '/api/thing');
  assert.ok('entry' in put);
  assert.equal(await r.run(put.entry, {}, new URLSearchParams(), { n: 21 }), 42);
  await assert.rejects(
    r.run(put.entry, {}, new URLSearchParams(), { n: 'x' }),
    (e: BootlabError) => e.code === 'BAD_REQUEST' && /n:/i.test(e.message),
  );
  const all = r.match('POST', '/api/services/start-all');
  assert.ok('entry' in all);
  await assert.rejects(r.run(all.entry, {}, new URLSearchParams(), { x: 1 }), /takes no body/);
});

test('queries are parsed with the route schema; a bad one is refused with the field named', async () => {
  const r = new Router<Routes, typeof schemas>(schemas);
  r.add('GET /api/thing', ({ query }) => query.n * 2);
  const get = r.match('GET', '/api/thing');
  assert.ok('entry' in get);
  assert.equal(await r.run(get.entry, {}, new URLSearchParams('n=21&token=x'), undefined), 42);
  assert.equal(await r.run(get.entry, {}, new URLSearchParams(), undefined), 2);
  await assert.rejects(
    r.run(get.entry, {}, new URLSearchParams('n=abc'), undefined),
    (e: BootlabError) => e.code === 'BAD_REQUEST' && e.fields?.[0]?.field === 'n',
  );
});
