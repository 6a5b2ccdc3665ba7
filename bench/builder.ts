// `npm run bench -- builder`: the iPXE builder against the same make run by hand, same machine, same run.
//   cold:        a fresh data dir: Bootlab imports the tarball, syncs a work tree per BIN dir, writes the
//                overlay and script, runs make in a pty  vs  a fresh unpack + the same files + the same
//                `make -jN <targets> CONFIG=… EMBED=…` spawned directly (ratio ≈ 1.0: the wrapper adds nothing)
//   script-only: the embedded script changes, same trees (make's floor is about 2.3 s; target ≤ 3 s)
//   cache hit:   an identical request (no make)
// Targets: BOOTLAB_BENCH_BUILDER_TARGETS (comma-separated; default bin/undionly.kpxe,bin-x86_64-efi/ipxe.efi).
// Results: bench/results/builder.json. Data dirs and trees live under os.tmpdir() and are removed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder } from '../services/builder/builder.js';
import {
  configName,
  groupByBinDir,
  inputFiles,
  makeArgs,
  overlayFiles,
} from '../services/builder/make-args.js';
import { buildRequestSchema } from '../services/builder/request.js';
import { fmtSpread, spread } from './common.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL = process.env.BOOTLAB_IPXE_SRC
  ? resolve(process.env.BOOTLAB_IPXE_SRC)
  : resolve(ROOT, '..', 'shared', 'ipxe', 'ipxe-src.tar.xz');
const TARGETS = (
  process.env.BOOTLAB_BENCH_BUILDER_TARGETS ?? 'bin/undionly.kpxe,bin-x86_64-efi/ipxe.efi'
).split(',');
const JOBS = 2;
const ROUNDS = 3;

function script(n: number): string {
  return `#!ipxe\n# bench round ${n}\ndhcp\nchain http://\${next-server}/boot.ipxe\n`;
}

function make(cwd: string, args: string[]): Promise<number> {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn('make', args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('close', (code) =>
      code === 0 ? ok(Date.now() - started) : fail(new Error(`make ${args.join(' ')}: ${err}`)),
    );
  });
}

/** The by-hand side: one unpacked tree per BIN dir, like the builder's, with the same files and argv. */
function handTrees(base: string, req: ReturnType<typeof buildRequestSchema.parse>) {
  return [...groupByBinDir(req.targets)].map(([bin, targets]) => {
    const dir = join(base, bin);
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('tar', ['-xJf', TARBALL, '-C', dir, '--strip-components=1']);
    if (r.status !== 0) throw new Error(`unpacking ${TARBALL} failed`);
    const src = join(dir, 'src');
    const local = join(src, 'config', 'local', configName(req));
    mkdirSync(local, { recursive: true });
    for (const [name, text] of Object.entries(overlayFiles(req))) writeFileSync(join(local, name), text);
    return { src, targets, cross: bin === 'bin-arm64-efi' ? 'aarch64-linux-gnu-' : undefined };
  });
}

async function handBuild(trees: ReturnType<typeof handTrees>, embed: string): Promise<number> {
  let total = 0;
  for (const t of trees) {
    const files = inputFiles(embed, {});
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(t.src, rel)), { recursive: true });
      writeFileSync(join(t.src, rel), text);
    }
    const args = makeArgs({
      targets: t.targets,
      jobs: JOBS,
      embed: Object.keys(files)[0]!,
      trust: [],
      cert: [],
      cross: t.cross,
      configName: 'bootlab',
    });
    total += await make(t.src, args);
  }
  return total;
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bootlab-bench-builder-'));
  try {
    const builder = new Builder({ dataDir: join(work, 'data'), jobs: JOBS, httpPort: () => 80 });
    const src = await builder.sources.add({ kind: 'tarball', path: TARBALL });
    const base = { sourceId: src.id, targets: TARGETS, features: ['syslog' as const] };
    const req = buildRequestSchema.parse({ ...base, script: { kind: 'custom', text: script(0) } });
    const hand = handTrees(join(work, 'hand'), req);

    const bootlab = async (text: string) => {
      const started = Date.now();
      const done = await builder.wait(builder.submit({ ...base, script: { kind: 'custom', text } }).id);
      if (done.state !== 'succeeded') throw new Error(`Bootlab build ${done.state}: ${done.error}`);
      return { ms: Date.now() - started, cached: done.cached };
    };

    // Cold: by hand first, then Bootlab (both start from nothing compiled).
    const coldHand = await handBuild(hand, script(0));
    console.log(`cold, make by hand:      ${(coldHand / 1000).toFixed(1)} s (${TARGETS.join(' ')})`);
    const coldBootlab = (await bootlab(script(0))).ms;
    console.log(
      `cold, through Bootlab:   ${(coldBootlab / 1000).toFixed(1)} s   ratio ${(coldBootlab / coldHand).toFixed(2)}`,
    );

    // Script-only: alternate who goes first each round.
    const soHand: number[] = [];
    const soBootlab: number[] = [];
    for (let n = 1; n <= ROUNDS; n++) {
      const order = n % 2 ? ['hand', 'bootlab'] : ['bootlab', 'hand'];
      for (const who of order) {
        if (who === 'hand') soHand.push(await handBuild(hand, script(n)));
        else soBootlab.push((await bootlab(script(n))).ms);
      }
    }
    const h = spread(soHand.map((x) => x / 1000));
    const b = spread(soBootlab.map((x) => x / 1000));
    console.log(`script-only, by hand:    ${fmtSpread(h, 2)} s`);
    console.log(`script-only, Bootlab:    ${fmtSpread(b, 2)} s   ratio ${(b.median / h.median).toFixed(2)}`);

    // Cache hit: the same request again (make does not run).
    const hits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await bootlab(script(ROUNDS));
      if (!r.cached) throw new Error('expected a cache hit');
      hits.push(r.ms);
    }
    const c = spread(hits);
    console.log(`cache hit:               ${fmtSpread(c, 1)} ms`);

    const out = {
      date: new Date().toISOString(),
      targets: TARGETS,
      jobs: JOBS,
      load: spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim(),
      coldSeconds: { hand: coldHand / 1000, bootlab: coldBootlab / 1000, ratio: coldBootlab / coldHand },
      scriptOnlySeconds: { hand: h, bootlab: b, ratio: b.median / h.median },
      cacheHitMs: c,
    };
    const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'builder.json'), JSON.stringify(out, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
