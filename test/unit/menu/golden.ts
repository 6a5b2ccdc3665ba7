import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { menuConfigSchema, type MenuConfig } from '../../../services/menu/model.js';

/**
 * Golden files for rendering tests, under test/fixtures/menu/. They were read line by line when written
 * (the reviewed expected output); `UPDATE_GOLDEN=1` rewrites them after an intended change, and the diff
 * is then reviewed again before it is committed.
 */
export const FIXTURES = join(import.meta.dirname, '../../fixtures/menu');

export function loadFixtureConfig(name: string): MenuConfig {
  return menuConfigSchema.parse(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));
}

export function assertGolden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, actual);
    if (process.env.UPDATE_GOLDEN !== '1')
      assert.fail(`golden file ${name} did not exist; written now, review it and run again`);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${name}`);
}

/** Structural checks every rendered iPXE script must pass: each goto target exists, no dead ends. */
export function assertWellFormedIpxe(script: string): void {
  const lines = script.split('\n');
  assert.equal(lines[0], '#!ipxe');
  const labels = new Set(lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1)));
  // Item names reach `goto e-${bl-choice}`.
  for (const l of lines) {
    const item = /^(?:iseq \S+ \S+ && )?item (?:--key \S+ )?([A-Za-z0-9_-]+) /.exec(l);
    if (item && !l.includes('--gap'))
      assert.ok(labels.has(`e-${item[1]}`), `item ${item[1]} has no :e-${item[1]} section`);
    for (const m of l.matchAll(/goto ([A-Za-z0-9_-]+)(?=\s|$)/g))
      assert.ok(labels.has(m[1]!), `goto ${m[1]} has no label`);
  }
  // Every download falls back to the failure path.
  for (const l of lines) {
    if (
      /^(kernel|initrd|chain|sanboot|imgfetch) /.test(l) &&
      !l.startsWith('imgfetch --name bootlab-checkin')
    ) {
      assert.match(l, /\|\| goto bl-failed$/, `download without a way back: ${l}`);
    }
  }
  // A command that hands over is followed by a way back if it returns.
  lines.forEach((l, i) => {
    if (/^(boot|sanboot|chain) /.test(l)) assert.match(lines[i + 1] ?? '', /^goto /, `nothing after: ${l}`);
  });
}
