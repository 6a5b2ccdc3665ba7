/**
 * What the builder shows the UI, as plain types with no Node imports: the API contract (and so the
 * renderer) imports them from here.
 */
import type { FeatureId, FeatureInfo, ServeSlot, TargetInfo } from './catalogue.js';
import type { BuildRequest } from './request.js';

export type SourceKind = 'git' | 'local' | 'tarball';

export interface SourceView {
  id: string;
  kind: SourceKind;
  /** Git URL, folder or tarball path as the user gave it. */
  location: string;
  /** Branch, tag or commit (git). */
  ref?: string;
  state: 'ready' | 'cloning' | 'failed';
  /** `git describe` (git, local checkout), or the version from the tarball's Makefile and commit. */
  version: string | null;
  commit: string | null;
  /** Clone progress, 0-100, with git's phase ("Receiving objects"). */
  progress?: { percent: number; phase: string };
  error?: string;
  addedAt: string;
}

export interface ToolProblem {
  tool: string;
  why: string;
  package: string;
  install: string;
}

export interface ToolchainReport {
  ok: boolean;
  problems: ToolProblem[];
  /** Set where the platform cannot build iPXE (Windows, macOS): what to do instead. */
  platformAdvice: string | null;
  /** One command that installs everything missing. */
  installCommand: string | null;
}

export type BuildState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface BuildJobView {
  id: string;
  request: BuildRequest;
  state: BuildState;
  /** Served from the cache: make did not run. */
  cached: boolean;
  /** Objects compiled so far / estimated total, from make's own [BUILD] lines. */
  progress: { done: number; total: number } | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  elapsedMs: number;
  exitCode: number | null;
  /** What went wrong, in words, with what to do. */
  error?: string;
  artifactIds: string[];
}

export interface ArtifactView {
  id: string;
  target: string;
  file: string;
  /** Absolute path of the stored output. */
  path: string;
  size: number;
  sha256: string;
  buildMs: number;
  createdAt: string;
  sourceId: string;
  sourceVersion: string | null;
  sourceCommit: string | null;
  features: FeatureId[];
  script: 'generated' | 'custom' | 'none';
  /** The HTTP port a generated script names (images go stale when Bootlab's port changes). */
  scriptHttpPort: number | null;
  /** Why this image no longer fits (e.g. the HTTP port changed), or null. */
  stale: string | null;
  /** DHCP slots this artifact is currently handed out for. */
  servedAs: ServeSlot[];
  request: BuildRequest;
}

export interface DiskUsage {
  artifactsBytes: number;
  workTreesBytes: number;
  sourcesBytes: number;
}

export interface BuilderOverview {
  sources: SourceView[];
  targets: readonly TargetInfo[];
  features: readonly FeatureInfo[];
  toolchain: ToolchainReport;
  /** Whether the ARM64 cross compiler is installed (the recommended set includes ARM64 then). */
  arm64: boolean;
  jobs: BuildJobView[];
  artifacts: ArtifactView[];
  disk: DiskUsage;
  /** The generated script for the current HTTP port (what "Bootlab's script" embeds). */
  generatedScript: string;
}

/** What the first-stage report shows for a file Bootlab built (written beside the served copy). */
export interface ServedBuildInfo {
  artifactId: string;
  target: string;
  features: FeatureId[];
  sourceVersion: string | null;
  sha256: string;
}
