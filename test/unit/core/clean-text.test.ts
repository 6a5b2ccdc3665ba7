import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanOptional, cleanText, capText, TRUNCATION_MARK } from '../../../services/core/clean-text.js';

test('control bytes, DEL, C1 controls and bidi overrides are removed; whitespace controls become spaces', () => {
  assert.equal(cleanText('pc\x00-\x07one\x1b[31m\x7f\u0085\u202Eevil', 64), 'pc-one[31mevil');
  assert.equal(cleanText('a\tb\r\nc', 64), 'a b c');
  assert.equal(cleanText('  padded  ', 64), 'padded');
  assert.equal(cleanText('line1\r\nline2\x00', 64, { multiline: true }), 'line1\nline2');
});

test('invalid UTF-8 bytes and lone surrogates become U+FFFD', () => {
  assert.equal(cleanText(Buffer.from([0x61, 0xff, 0xfe, 0x62]), 64), 'a\uFFFD\uFFFDb');
  assert.equal(cleanText(new Uint8Array([0xc3, 0xa9]), 64), 'é');
  assert.equal(cleanText('x\uD800y\uDC00z', 64), 'x\uFFFDy\uFFFDz');
  assert.equal(cleanText('😀', 64), '😀');
});

test('long text is capped in code points with a visible marker, never splitting a pair', () => {
  const capped = cleanText('a'.repeat(3000), 64);
  assert.equal(Array.from(capped).length, 64);
  assert.ok(capped.endsWith(TRUNCATION_MARK));
  const emoji = capText('😀'.repeat(10), 5);
  assert.equal(emoji, '😀😀😀😀' + TRUNCATION_MARK);
  assert.equal(cleanText('exact', 5), 'exact');
});

test('absent stays absent with cleanOptional; empty after cleaning is absent', () => {
  assert.equal(cleanOptional(undefined, 10), undefined);
  assert.equal(cleanOptional('\x00\x01', 10), undefined);
  assert.equal(cleanText(null, 10), '');
  assert.equal(cleanOptional('ok', 10), 'ok');
});
