// A node:test reporter that writes one JSON line per skipped or todo test (name, file, reason), so
// scripts/run-tests.mjs can list them and, in CI, fail the run. Used next to the spec reporter.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, todo, name, file, nesting } = event.data;
    if (skip === undefined && todo === undefined) continue;
    const kind = skip !== undefined ? 'skip' : 'todo';
    const reason = typeof (skip ?? todo) === 'string' ? (skip ?? todo) : '';
    yield JSON.stringify({ kind, name, file: file ?? null, nesting, reason }) + '\n';
  }
}
