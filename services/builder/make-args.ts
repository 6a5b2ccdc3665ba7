/**
 * From a validated request to what make gets: the `config/local/<CONFIG>/*.h` overlay files and the
 * argument array (never a shell line). Pure. iPXE facts: each config/X.h ends by including
 * config/local/<LOCAL_CONFIG>/X.h (config/general.h L311-314, console.h L104-107), selected with
 * CONFIG=<name> (Makefile.housekeeping L758-765); EMBED/TRUST/CERT/DEBUG/CROSS are make variables
 * (docs/ipxe-notes.md §4).
 */
import { FEATURES, targetInfo, type BuildArch, type LogLevel } from './catalogue.js';
import type { BuildRequest } from './request.js';

/** CONFIG= when the request names no bundled config: Bootlab's overlay lives in config/local/bootlab/. */
export const DEFAULT_CONFIG_NAME = 'bootlab';

/** Where Bootlab writes the script and certificates, relative to iPXE's src/ (inside the work tree). */
export const FILES_DIR = 'bootlab-files';

const LOG_LEVEL_MACRO: Record<LogLevel, string> = {
  none: 'LOG_NONE',
  emerg: 'LOG_EMERG',
  alert: 'LOG_ALERT',
  crit: 'LOG_CRIT',
  err: 'LOG_ERR',
  warning: 'LOG_WARNING',
  notice: 'LOG_NOTICE',
  info: 'LOG_INFO',
  debug: 'LOG_DEBUG',
  all: 'LOG_ALL',
};

export function configName(req: Pick<BuildRequest, 'namedConfig'>): string {
  return req.namedConfig ?? DEFAULT_CONFIG_NAME;
}

const HEADER_NOTE =
  "/* Written by Bootlab's builder: overrides iPXE's defaults for this configuration (docs/ipxe-notes.md §4). */";

/** `config/local/<CONFIG>/<header>.h` → text. Headers without a change are left for make to create empty. */
export function overlayFiles(
  req: Pick<BuildRequest, 'features' | 'bannerTimeout' | 'logLevel'>,
): Record<string, string> {
  const defs: Record<string, [string, string | null][]> = {};
  const add = (header: string, name: string, value: string | null) =>
    (defs[header] ??= []).push([name, value]);
  for (const f of FEATURES) if (req.features.includes(f.id)) add(f.header, f.define, null);
  if (req.bannerTimeout !== undefined) add('general', 'BANNER_TIMEOUT', String(req.bannerTimeout));
  if (req.logLevel !== undefined) add('console', 'LOG_LEVEL', LOG_LEVEL_MACRO[req.logLevel]);
  const out: Record<string, string> = {};
  for (const header of Object.keys(defs).sort()) {
    const lines = [HEADER_NOTE];
    for (const [name, value] of defs[header]!) {
      lines.push(`#undef ${name}`, value === null ? `#define ${name}` : `#define ${name} ${value}`);
    }
    out[`${header}.h`] = lines.join('\n') + '\n';
  }
  return out;
}

/** The cross-compiler prefix a target needs on this host (none for the host's own architecture). */
export function crossFor(arch: BuildArch, hostArch: string, requested?: string): string | undefined {
  if (requested) return requested;
  if (arch === 'arm64' && hostArch !== 'arm64') return 'aarch64-linux-gnu-';
  if ((arch === 'x86_64' || arch === 'i386') && hostArch !== 'x64' && hostArch !== 'ia32')
    return 'x86_64-linux-gnu-';
  return undefined;
}

export interface MakeInputs {
  /** Targets of one BIN dir (one work tree). */
  targets: string[];
  jobs: number;
  /** Relative paths (to src/) of files written by writeInputFiles(); null when there is none. */
  embed: string | null;
  trust: string[];
  cert: string[];
  debug?: string;
  cross?: string;
  /** The source's commit, for iPXE's version string when the work tree has no .git (Makefile L218-237). */
  gitCommit?: string;
  configName: string;
}

/** make's argument array (the command is `make`, run in the work tree's src/). */
export function makeArgs(i: MakeInputs): string[] {
  const args = [`-j${Math.max(1, Math.floor(i.jobs))}`, ...i.targets, `CONFIG=${i.configName}`];
  if (i.embed) args.push(`EMBED=${i.embed}`);
  if (i.trust.length > 0) args.push(`TRUST=${i.trust.join(',')}`);
  if (i.cert.length > 0) args.push(`CERT=${i.cert.join(',')}`);
  if (i.debug) args.push(`DEBUG=${i.debug}`);
  if (i.cross) args.push(`CROSS=${i.cross}`);
  if (i.gitCommit && /^[0-9a-f]{7,40}$/.test(i.gitCommit)) args.push(`GITVERSION=${i.gitCommit}`);
  return args;
}

/** The files a build writes under src/FILES_DIR: path → content. */
export function inputFiles(
  embedText: string | null,
  req: Pick<BuildRequest, 'trust' | 'cert'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (embedText !== null) out[`${FILES_DIR}/embed.ipxe`] = embedText;
  (req.trust ?? []).forEach((pem, n) => (out[`${FILES_DIR}/trust-${n + 1}.pem`] = pem.trim() + '\n'));
  (req.cert ?? []).forEach((pem, n) => (out[`${FILES_DIR}/cert-${n + 1}.pem`] = pem.trim() + '\n'));
  return out;
}

/** Groups targets by BIN dir, in request order (each group builds in its own work tree). */
export function groupByBinDir(targets: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of targets) {
    const bin = targetInfo(id)?.binDir ?? id.slice(0, id.indexOf('/'));
    out.set(bin, [...(out.get(bin) ?? []), id]);
  }
  return out;
}
