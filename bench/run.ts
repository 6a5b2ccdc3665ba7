// `npm run bench`: runs every benchmark (Bootlab next to the reference servers, in the same run) and
// prints ratios. Each bench/<area>.ts exports run(); results land in bench/results/<area>.json.
//   npm run bench              all areas
//   npm run bench -- tftp http only those
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const AREAS = ['dhcp', 'tftp', 'http', 'host', 'boot', 'builder', 'builder-uefi', 'stats'] as const;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const areas = wanted.length > 0 ? AREAS.filter((a) => wanted.includes(a)) : AREAS;

mkdirSync(fileURLToPath(new URL('./results', import.meta.url)), { recursive: true });
let failed = 0;
for (const area of areas) {
  const file = new URL(`./${area}.ts`, import.meta.url);
  if (!existsSync(fileURLToPath(file))) {
    console.log(`\n== ${area}: no benchmark yet`);
    continue;
  }
  console.log(`\n== ${area}`);
  const started = Date.now();
  try {
    const mod = (await import(file.href)) as { run: () => Promise<void> };
    await mod.run();
    console.log(`(${area} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failed++;
    console.error(
      `${area} benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
