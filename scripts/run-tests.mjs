#!/usr/bin/env node
// Runs the test suite with Node's own test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs            all tests: unit, integration, e2e
//   node scripts/run-tests.mjs unit       only test/unit
//   node scripts/run-tests.mjs FILE...    only those files
// Tests that need root, network namespaces, QEMU or Chromium skip themselves with the reason when those
// are missing (decided from the machine, never from source text). Every skip and todo is listed after the
// run with its reason; with CI=true any skip or todo fails the run (CI installs everything, runs as root,
// so a skip there means a test silently did not run).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const skipReporter = fileURLToPath(new URL('./skip-reporter.mjs', import.meta.url));
const inCi = process.env.CI === 'true' || process.env.CI === '1';

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
const work = mkdtempSync(join(tmpdir(), 'bootlab-test-run-'));
const skipsFile = join(work, 'skips.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${skipReporter}`,
    `--test-reporter-destination=${skipsFile}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, BOOTLAB_TEST: '1' } },
);

let skips = [];
try {
  skips = readFileSync(skipsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  // No file: the runner did not get as far as reporting (its own exit status says why).
}
rmSync(work, { recursive: true, force: true });

if (skips.length > 0) {
  const where = (s) => (s.file ? ` (${s.file.replace(process.cwd() + '/', '')})` : '');
  console.log(`\n${skips.length} test(s) did not run:`);
  for (const s of skips)
    console.log(`  ${s.kind.toUpperCase()} ${s.name}${where(s)}: ${s.reason || 'no reason given'}`);
  if (inCi) {
    console.error(
      `\nrun-tests: CI=true and ${skips.length} test(s) skipped or todo. In CI every test must run: ` +
        'install what the reasons above name (.ci/install-system-deps.sh) or fix the test.',
    );
    process.exit(1);
  }
}
process.exit(result.status ?? 1);
