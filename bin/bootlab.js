#!/usr/bin/env node
// Entry point of the `bootlab` command: runs the compiled services (npm run build makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/services/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(
    'bootlab: Bootlab is not built yet. Run "npm run build" in its folder, then try again.\n',
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exit(await main(process.argv.slice(2)));
