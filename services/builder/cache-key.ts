import { createHash } from 'node:crypto';

/**
 * Cache keys (docs/decisions.md, builder). A work tree is one (source files, BIN dir, CONFIG name, overlay
 * text, cross prefix): changing any of these in a shared tree touches config/named.h and rebuilds nearly
 * everything (docs/ipxe-notes.md §4), so each gets its own tree. An artifact adds what varies cheaply inside a
 * tree: the target, the embedded script, TRUST/CERT files and DEBUG (iPXE tracks those exactly: only
 * embedded.o, the certificate objects or the .dbg objects rebuild) and the source commit (the version
 * string; builder.ts removes the version objects when it changes, as make cannot see a variable change). Keys hash canonical JSON (sorted
 * object keys), so the order a client lists fields in never matters.
 */

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

function hash(v: unknown): string {
  return createHash('sha256').update(canonical(v)).digest('hex').slice(0, 20);
}

export interface TreeKeyInput {
  /** Fingerprint of the source's files (tree-sync.ts). */
  source: string;
  binDir: string;
  configName: string;
  overlay: Record<string, string>;
  cross: string | null;
}

/** Overlay text without comments: a reworded comment changes no build, so it keeps the tree. */
export function overlaySemantics(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

export function treeKey(i: TreeKeyInput): string {
  const overlay = Object.fromEntries(Object.entries(i.overlay).map(([k, v]) => [k, overlaySemantics(v)]));
  return hash({ v: 1, ...i, overlay });
}

export interface ArtifactKeyInput {
  tree: string;
  /** The source's commit: iPXE's version string (GITVERSION) is built in. */
  commit: string | null;
  target: string;
  embed: string | null;
  trust: string[];
  cert: string[];
  debug: string | null;
}

export function artifactKey(i: ArtifactKeyInput): string {
  return hash({ v: 1, ...i });
}
