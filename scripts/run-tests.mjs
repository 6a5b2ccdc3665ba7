#!/usr/bin/env node
// Runs the test suite with Node's own test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs            all tests: unit, integration, e2e
//   node scripts/run-tests.mjs unit       only test/unit
//   node scripts/run-tests.mjs FILE...    only those files
// Tests that need root, network namespaces, QEMU or Chromium skip themselves with the reason when those
// are missing; CI installs them (.ci/install-system-deps.sh) and runs as root, so there nothing skips.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const groups = ['unit', 'integration', 'e2e'];
const args = process.argv.slice(2);

function findTests(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(findTests(p));
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

let files;
if (args.length === 0) files = groups.flatMap((g) => findTests(join('test', g)));
else if (args.every((a) => groups.includes(a))) files = args.flatMap((g) => findTests(join('test', g)));
else files = args;

if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, BOOTLAB_TEST: '1' },
});
process.exit(result.status ?? 1);
