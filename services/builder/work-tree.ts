import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { overlaySemantics } from './cache-key.js';
import { syncTree } from './tree-sync.js';

/**
 * Brings one work tree (a copy of the iPXE source per configuration, builder/trees/<tree key>/src) to what
 * the next `make` needs: the source contents, the CONFIG= overlay and the input files (embedded script,
 * trust/cert PEMs). Each step writes only what changed, because make rebuilds from timestamps: a rewritten
 * overlay header with the same defines would recompile every object (minutes instead of a relink).
 * The caller holds the tree's file lock.
 */
export interface WorkTreeInputs {
  treeDir: string;
  /** Where the source snapshot is unpacked, and its contents fingerprint (sources.ts). */
  sourceDir: string;
  fingerprint: string;
  commit: string | null;
  binDir: string;
  configName: string;
  /** config/local/<configName>/<file> → text */
  overlay: Record<string, string>;
  /** path relative to src → text */
  files: Record<string, string>;
  say(text: string): void;
}

/** Returns the tree's src directory, ready for make. */
export function prepareWorkTree(t: WorkTreeInputs): string {
  const src = join(t.treeDir, 'src');
  mkdirSync(src, { recursive: true });
  // The tree remembers which source contents it holds: the same ones again need no comparison
  // (reading both trees costs seconds on a busy machine, most of a script-only rebuild's budget).
  const stamp = join(t.treeDir, 'source-fingerprint');
  if (readText(stamp) !== t.fingerprint) {
    const copied = syncTree(t.sourceDir, src);
    if (copied > 0) t.say(`Work tree ${basename(t.treeDir)}: ${copied} source files copied.\r\n`);
    writeFileSync(stamp, t.fingerprint);
  }
  forgetVersionOnNewCommit(src, t.binDir, t.commit);
  const local = join(src, 'config', 'local', t.configName);
  mkdirSync(local, { recursive: true });
  // Rewritten only when a define changes: every object including the header would rebuild.
  for (const [name, text] of Object.entries(t.overlay)) writeIfChanged(join(local, name), text, true);
  for (const [rel, text] of Object.entries(t.files)) writeIfChanged(join(src, rel), text);
  return src;
}

/** Compiled objects already in a BIN dir (what a rebuild will not compile again). */
export function countObjects(binDir: string): number {
  try {
    return readdirSync(binDir).filter((n) => n.endsWith('.o')).length;
  } catch {
    return 0;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function writeIfChanged(path: string, text: string, overlay = false): void {
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    if (old === text || (overlay && overlaySemantics(old) === overlaySemantics(text))) return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * iPXE's version string (GITVERSION) goes into $(BIN)/version.*.o, which make rebuilds only when
 * ../.git/index changes (Makefile.housekeeping L1249); work trees have no .git, so a new commit in the same
 * tree removes those objects (a relink, about a second).
 */
function forgetVersionOnNewCommit(src: string, binDir: string, commit: string | null): void {
  const stamp = join(src, binDir, '.bootlab-commit');
  const want = commit ?? 'none';
  if (readText(stamp) === want) return;
  const bin = join(src, binDir);
  mkdirSync(bin, { recursive: true });
  for (const name of readdirSync(bin))
    if (/^version\..*\.o$/.test(name)) rmSync(join(bin, name), { force: true });
  writeFileSync(stamp, want);
}
