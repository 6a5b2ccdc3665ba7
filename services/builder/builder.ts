import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { arch as hostArch } from 'node:os';
import { join } from 'node:path';
import { BootlabError } from '../shared/errors.js';
import { featuresOf, targetInfo } from './catalogue.js';
import { artifactKey, treeKey } from './cache-key.js';
import { generatedScript, scriptHttpPort, validateScript } from './embed-script.js';
import { withFileLock } from './file-lock.js';
import { configName, crossFor, groupByBinDir, inputFiles, makeArgs, overlayFiles } from './make-args.js';
import { explainFailure } from './make-failure.js';
import { runMake } from './make-run.js';
import type { PtyRun } from './pty-runner.js';
import { buildRequestSchema, type BuildRequest, type BuildRequestInput } from './request.js';
import { OutputBatcher, RingLog } from './ring-log.js';
import { ArtifactStore, dirBytes, type ArtifactRecord } from './artifact-store.js';
import { SourceStore, type SourceRecord } from './sources.js';
import { checkToolchain, toolchainMessage, type ToolProbe } from './toolchain.js';
import { prepareWorkTree } from './work-tree.js';
import type { BuildJobView, BuildState, DiskUsage } from './views.js';

/**
 * The image builder: validates a request, answers it from the cache when every output exists, else queues
 * it; one build runs at a time (the machine's cores are shared with the boot services). A build syncs the
 * source into the work tree of its configuration, writes the overlay and the script, checks the toolchain,
 * and runs `make -jN` in a pty; output is kept in a ring buffer and sent in batches (≤ 30 a second).
 * Work trees are locked per process too (file-lock.ts), so the app, the CLI and tests can share a data dir.
 */

export interface BuildEvents {
  output(jobId: string, data: string): void;
  state(job: BuildJobView): void;
}

export interface BuilderOptions {
  dataDir: string;
  /** Bootlab's HTTP port for the generated script (80 when unknown). */
  httpPort?: () => number | null;
  jobs?: number;
  /** `make` (tests use a small fake make). */
  makeCommand?: string;
  events?: Partial<BuildEvents>;
  probe?: ToolProbe;
  platform?: NodeJS.Platform;
  hostArch?: string;
}

interface Job {
  view: BuildJobView;
  log: RingLog;
  run?: PtyRun;
  cancelled: boolean;
  waiters: ((v: BuildJobView) => void)[];
}

const KEEP_FINISHED_JOBS = 30;

export class Builder {
  readonly sources: SourceStore;
  readonly artifacts: ArtifactStore;
  private readonly treesDir: string;
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | undefined;

  constructor(private readonly opts: BuilderOptions) {
    this.sources = new SourceStore(opts.dataDir);
    this.artifacts = new ArtifactStore(opts.dataDir);
    this.treesDir = join(opts.dataDir, 'builder', 'trees');
    mkdirSync(this.treesDir, { recursive: true });
  }

  /** The script "Bootlab's script" embeds for the current HTTP port. */
  generatedScript(): string {
    return generatedScript({ httpPort: this.opts.httpPort?.() ?? 80 });
  }

  private embedText(req: BuildRequest): string | null {
    if (req.script.kind === 'none') return null;
    if (req.script.kind === 'generated') return this.generatedScript();
    const text = req.script.text.replace(/\r\n/g, '\n');
    return text.endsWith('\n') ? text : `${text}\n`;
  }

  private cross(req: BuildRequest, target: string): string | null {
    const t = targetInfo(target);
    return t ? (crossFor(t.arch, this.opts.hostArch ?? hostArch(), req.cross) ?? null) : null;
  }

  /** Per BIN dir: the tree key and each target's artifact key. */
  private plan(req: BuildRequest, source: SourceRecord, embed: string | null) {
    const fingerprint = this.sources.fingerprint(source);
    const overlay = overlayFiles(req);
    const name = configName(req);
    return [...groupByBinDir(req.targets)].map(([binDir, targets]) => {
      const cross = this.cross(req, targets[0]!);
      const tree = treeKey({ source: fingerprint, binDir, configName: name, overlay, cross });
      const keys = targets.map((target) => ({
        target,
        id: artifactKey({
          tree,
          commit: source.commit,
          target,
          embed,
          trust: req.trust ?? [],
          cert: req.cert ?? [],
          debug: req.debug ?? null,
        }),
      }));
      return { binDir, targets, cross, tree, keys, overlay, configName: name };
    });
  }

  /**
   * Validates and queues a build. When every output is already stored the job comes back finished
   * (`cached: true`) without running make. Throws BootlabError for invalid requests, with every problem.
   */
  submit(input: BuildRequestInput): BuildJobView {
    const parsed = buildRequestSchema.safeParse(input);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        field: i.path.join('.') || 'request',
        message: i.message,
      }));
      throw new BootlabError(
        'BAD_REQUEST',
        `The build request is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.`,
        'Correct the marked values and try again.',
        {},
        fields,
      );
    }
    const req = parsed.data;
    if (req.script.kind === 'custom') {
      const problems = validateScript(req.script.text);
      if (problems.length > 0)
        throw new BootlabError(
          'BAD_REQUEST',
          `The embedded script cannot be used: ${problems.join(' ')}`,
          'Fix the script, or choose Bootlab’s generated script.',
          {},
          problems.map((message) => ({ field: 'script.text', message })),
        );
    }
    const source = this.sources.require(req.sourceId);
    const now = new Date().toISOString();
    const job: Job = {
      view: {
        id: randomBytes(6).toString('hex'),
        request: req,
        state: 'queued',
        cached: false,
        progress: null,
        queuedAt: now,
        startedAt: null,
        finishedAt: null,
        elapsedMs: 0,
        exitCode: null,
        artifactIds: [],
      },
      log: new RingLog(),
      cancelled: false,
      waiters: [],
    };
    this.jobs.set(job.view.id, job);
    this.trimJobs();
    const plan = this.plan(req, source, this.embedText(req));
    const all = plan.flatMap((p) => p.keys);
    if (all.every((k) => this.artifacts.get(k.id))) {
      job.view.cached = true;
      job.view.artifactIds = all.map((k) => k.id);
      job.log.append(`Served from the cache: ${all.map((k) => k.target).join(', ')} (make did not run).\r\n`);
      this.finish(job, 'succeeded', 0);
      return { ...job.view };
    }
    this.queue.push(job);
    this.emitState(job);
    void this.pump();
    return { ...job.view };
  }

  private trimJobs(): void {
    const done = [...this.jobs.values()].filter((j) => j.view.finishedAt);
    for (const j of done.slice(0, Math.max(0, done.length - KEEP_FINISHED_JOBS))) this.jobs.delete(j.view.id);
  }

  /** Resolves when the job has finished (succeeded, failed or cancelled). */
  wait(id: string): Promise<BuildJobView> {
    const job = this.jobs.get(id);
    if (!job)
      return Promise.reject(
        new BootlabError('NOT_FOUND', `There is no build ${id}.`, 'Start a build first.'),
      );
    if (job.view.finishedAt) return Promise.resolve({ ...job.view });
    return new Promise((res) => job.waiters.push(res));
  }

  job(id: string): BuildJobView | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j.view, elapsedMs: this.elapsed(j) } : undefined;
  }

  listJobs(): BuildJobView[] {
    return [...this.jobs.values()].map((j) => ({ ...j.view, elapsedMs: this.elapsed(j) })).reverse();
  }

  /** The log so far (ring buffer), for a page reload. */
  log(id: string): string {
    const job = this.jobs.get(id);
    if (!job) throw new BootlabError('NOT_FOUND', `There is no build ${id}.`, 'Reload the Builder page.');
    return job.log.text();
  }

  cancel(id: string): BuildJobView {
    const job = this.jobs.get(id);
    if (!job) throw new BootlabError('NOT_FOUND', `There is no build ${id}.`, 'Reload the Builder page.');
    if (job.view.finishedAt) return { ...job.view };
    job.cancelled = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.log.append('Cancelled before it started.\r\n');
      this.finish(job, 'cancelled', null);
    } else job.run?.cancel();
    return { ...job.view };
  }

  private elapsed(j: Job): number {
    if (!j.view.startedAt) return 0;
    const end = j.view.finishedAt ? Date.parse(j.view.finishedAt) : Date.now();
    return end - Date.parse(j.view.startedAt);
  }

  private emitState(job: Job): void {
    this.opts.events?.state?.({ ...job.view, elapsedMs: this.elapsed(job) });
  }

  private finish(job: Job, state: BuildState, exitCode: number | null, error?: string): void {
    job.view.state = state;
    job.view.exitCode = exitCode;
    job.view.finishedAt = new Date().toISOString();
    job.view.startedAt ??= job.view.finishedAt;
    job.view.elapsedMs = this.elapsed(job);
    if (error) job.view.error = error;
    this.emitState(job);
    for (const w of job.waiters.splice(0)) w({ ...job.view });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    try {
      await this.execute(job);
    } catch (e) {
      const msg = e instanceof BootlabError ? `${e.message} ${e.hint}` : String((e as Error).message ?? e);
      job.log.append(`\r\n${msg}\r\n`);
      this.opts.events?.output?.(job.view.id, `\r\n${msg}\r\n`);
      this.finish(job, job.cancelled ? 'cancelled' : 'failed', job.view.exitCode, msg);
    } finally {
      this.running = undefined;
      void this.pump();
    }
  }

  private async execute(job: Job): Promise<void> {
    const req = job.view.request;
    job.view.state = 'running';
    job.view.startedAt = new Date().toISOString();
    this.emitState(job);
    const batcher = new OutputBatcher((data) => this.opts.events?.output?.(job.view.id, data));
    const say = (text: string) => {
      job.log.append(text);
      batcher.push(text);
    };
    const source = this.sources.require(req.sourceId);
    const embed = this.embedText(req);
    const plan = this.plan(req, source, embed);
    const ids: string[] = [];
    for (const group of plan) {
      const missing = group.keys.filter((k) => !this.artifacts.get(k.id));
      if (missing.length === 0) {
        ids.push(...group.keys.map((k) => k.id));
        continue;
      }
      const tools = checkToolchain(
        missing.map((k) => k.target),
        { cross: group.cross ?? undefined, probe: this.opts.probe, platform: this.opts.platform },
      );
      if (!tools.ok)
        throw new BootlabError(
          'BAD_REQUEST',
          toolchainMessage(tools),
          tools.installCommand ? `Run: ${tools.installCommand}` : 'See the Builder page.',
        );
      const treeDir = join(this.treesDir, group.tree);
      await withFileLock(
        `${treeDir}.lock`,
        async () => {
          const todo = group.keys.filter((k) => !this.artifacts.get(k.id));
          if (todo.length === 0 || job.cancelled) return;
          const files = inputFiles(embed, req);
          const src = prepareWorkTree({
            treeDir,
            sourceDir: source.srcDir,
            fingerprint: this.sources.fingerprint(source),
            commit: source.commit,
            binDir: group.binDir,
            configName: group.configName,
            overlay: group.overlay,
            files,
            say,
          });
          const args = makeArgs({
            targets: todo.map((k) => k.target),
            jobs: this.opts.jobs ?? 2,
            embed: Object.keys(files).find((f) => f.endsWith('embed.ipxe')) ?? null,
            trust: Object.keys(files).filter((f) => /trust-\d+\.pem$/.test(f)),
            cert: Object.keys(files).filter((f) => /cert-\d+\.pem$/.test(f)),
            debug: req.debug,
            cross: group.cross ?? undefined,
            gitCommit: source.commit ?? undefined,
            configName: group.configName,
          });
          const make = this.opts.makeCommand ?? 'make';
          say(`$ ${make} ${args.join(' ')}\r\n`);
          const result = await runMake({
            make,
            args,
            src,
            binDir: group.binDir,
            onOutput: say,
            onProgress: (progress) => {
              job.view.progress = progress;
              this.emitState(job);
            },
            onStart: (run) => {
              job.run = run;
              if (job.cancelled) run.cancel();
            },
          });
          job.run = undefined;
          batcher.flush();
          const makeMs = result.ms;
          job.view.exitCode = result.exitCode;
          if (result.cancelled)
            throw new BootlabError(
              'BAD_REQUEST',
              'Build cancelled.',
              'The work tree is kept; the next build continues where this one stopped.',
            );
          if (result.exitCode !== 0)
            throw new BootlabError(
              'BAD_REQUEST',
              `make stopped with exit status ${result.exitCode}. ${explainFailure(result.log)}`,
              'Read the end of the log above.',
            );
          job.view.progress = { done: result.compiled, total: Math.max(1, result.compiled) };
          for (const k of todo) {
            const t = targetInfo(k.target)!;
            this.artifacts.add(
              {
                id: k.id,
                target: k.target,
                file: t.file,
                buildMs: makeMs,
                createdAt: new Date().toISOString(),
                sourceId: source.id,
                sourceVersion: source.version,
                sourceCommit: source.commit,
                features: featuresOf(
                  t.platform,
                  req.features,
                  Number(/^(\d+)/.exec(source.version ?? '2')?.[1] ?? 2),
                ),
                script: req.script.kind,
                scriptHttpPort: req.script.kind === 'generated' && embed ? scriptHttpPort(embed) : null,
                request: req,
              },
              join(src, k.target),
              `$ make ${args.join(' ')}\n${result.log}`,
            );
          }
          say(`\r\nBuilt ${todo.map((k) => k.target).join(', ')} in ${(makeMs / 1000).toFixed(1)} s.\r\n`);
        },
        { onWait: () => say('Waiting for another build in the same work tree…\r\n') },
      );
      ids.push(...group.keys.map((k) => k.id));
    }
    batcher.flush();
    if (job.cancelled)
      throw new BootlabError('BAD_REQUEST', 'Build cancelled.', 'Start it again when you are ready.');
    job.view.artifactIds = ids;
    this.finish(job, 'succeeded', job.view.exitCode ?? 0);
  }

  artifactRecords(): ArtifactRecord[] {
    return this.artifacts.list();
  }

  deleteArtifact(id: string): void {
    if (!this.artifacts.remove(id))
      throw new BootlabError('NOT_FOUND', `There is no stored image ${id}.`, 'Reload the Builder page.');
  }

  /** Deletes every work tree not in use (they are rebuilt on demand; outputs stay). */
  async deleteWorkTrees(): Promise<number> {
    let n = 0;
    for (const name of readdirSync(this.treesDir)) {
      if (name.endsWith('.lock')) continue;
      const dir = join(this.treesDir, name);
      await withFileLock(
        `${dir}.lock`,
        async () => {
          rmSync(dir, { recursive: true, force: true });
          n++;
        },
        { timeoutMs: 1000 },
      ).catch(() => undefined);
    }
    return n;
  }

  disk(): DiskUsage {
    return {
      artifactsBytes: this.artifacts.bytes(),
      workTreesBytes: dirBytes(this.treesDir),
      sourcesBytes: dirBytes(join(this.opts.dataDir, 'builder', 'sources')),
    };
  }

  /** The work tree a target of this request builds in (for tests and the benchmark). */
  workTreeOf(input: BuildRequestInput, target: string): string {
    const req = buildRequestSchema.parse(input);
    const source = this.sources.require(req.sourceId);
    const group = this.plan(req, source, this.embedText(req)).find((g) => g.targets.includes(target));
    if (!group) throw new Error(`${target} is not in the request`);
    return join(this.treesDir, group.tree, 'src');
  }

  /** Cancels everything (host shutdown). */
  stop(): void {
    for (const j of [...this.queue]) this.cancel(j.view.id);
    if (this.running) this.cancel(this.running.view.id);
  }
}
