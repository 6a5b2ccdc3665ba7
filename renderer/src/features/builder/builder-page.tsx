import { useCallback, useEffect, useState } from 'react';
import type {
  ArtifactView,
  BuildJobView,
  BuildRequestInput,
  ServeSlot,
} from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { TerminalView } from '../../terminal/terminal-view';
import { ArtifactsTable } from './artifacts-table';
import { BuildForm } from './build-form';
import { SourcesCard, type AddSource } from './sources-card';

/**
 * The iPXE image builder: sources, what to build, the live make log (xterm), stored images that DHCP can
 * hand out with one click. A reload replays the running build's log from the server's ring buffer.
 */
export function BuilderPage() {
  const { api, generation } = useApi();
  const overview = useRequest(() => api.request('GET /api/builder'), [api, generation]);
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const [chunks, setChunks] = useState<string[]>([]);
  const [live, setLive] = useState<Partial<BuildJobView>>({});
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const show = async (id: string) => {
    setJobId(id);
    setLive({});
    const { data } = await api.request('GET /api/builder/builds/:id/log', { params: { id } });
    setChunks([data]);
  };

  // After a reload show the running build, else the newest.
  useEffect(() => {
    const jobs = overview.data?.jobs ?? [];
    if (jobId || jobs.length === 0) return;
    void show((jobs.find((j) => j.state === 'running') ?? jobs[0]!).id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [overview.data]);

  // Clones report progress through the overview: poll it while one runs.
  const cloning = overview.data?.sources.some((s) => s.state === 'cloning');
  useEffect(() => {
    if (!cloning) return;
    const t = setInterval(() => void overview.reload(), 1000);
    return () => clearInterval(t);
  }, [cloning, overview]);

  useLiveEvents(['build.output'], (event) => {
    const p = event.payload;
    if (p.buildId !== jobId) {
      if (p.state) void overview.reload();
      return;
    }
    if (p.data) setChunks((c) => [...c, p.data]);
    if (p.state) {
      setLive({ state: p.state, progress: p.progress ?? null, elapsedMs: p.elapsedMs });
      if (p.state !== 'running' && p.state !== 'queued') void overview.reload();
    }
  });

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await fn();
      await overview.reload();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };

  const startBuild = (req: BuildRequestInput) =>
    act(async () => {
      const { job } = await api.request('POST /api/builder/builds', { body: req });
      await show(job.id);
    });
  const recommended = (sourceId: string) =>
    act(async () => {
      const { job } = await api.request('POST /api/builder/recommended', { body: { sourceId } });
      await show(job.id);
    });
  const addSource = (body: AddSource) => act(() => api.request('POST /api/builder/sources', { body }));
  const checkScript = useCallback(
    async (text: string) =>
      (await api.request('POST /api/builder/script-check', { body: { text } })).problems,
    [api],
  );
  const download = (a: ArtifactView) =>
    act(async () => {
      const r = await api.request('GET /api/builder/artifacts/:id/download', { params: { id: a.id } });
      const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = r.file;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const data = overview.data;
  const job = data?.jobs.find((j) => j.id === jobId);
  const state = live.state ?? job?.state;
  const progress = live.progress !== undefined ? live.progress : job?.progress;
  const elapsed = live.elapsedMs ?? job?.elapsedMs ?? 0;
  const running = state === 'running' || state === 'queued';
  const percent = progress ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  const slotOf = (target: string) =>
    data?.targets.find((t) => t.id === target)?.serveAs as ServeSlot | undefined;
  const artifactsOfJob =
    job?.artifactIds.map((id) => data?.artifacts.find((a) => a.id === id)).filter(Boolean) ?? [];

  return (
    <Page
      title="Builder"
      intro="Build your own iPXE images: features, an embedded script, and one click to hand them out."
    >
      {overview.problem && <ProblemBox problem={overview.problem} />}
      {problem && <ProblemBox problem={problem} title="The builder could not do that" />}
      {data && !data.toolchain.ok && (
        <ProblemBox
          title="Build tools are missing"
          problem={{
            code: 'TOOLCHAIN',
            message:
              data.toolchain.platformAdvice ??
              `Missing: ${data.toolchain.problems.map((p) => `${p.tool} (${p.why}; package ${p.package})`).join('; ')}.`,
            hint: data.toolchain.installCommand ? `Install with: ${data.toolchain.installCommand}` : '',
          }}
        />
      )}
      {data && (
        <SourcesCard
          sources={data.sources}
          busy={busy}
          onAdd={(s) => void addSource(s)}
          onCancel={(id) =>
            void act(() => api.request('POST /api/builder/sources/:id/cancel', { params: { id } }))
          }
          onRemove={(id) =>
            void act(() => api.request('DELETE /api/builder/sources/:id', { params: { id } }))
          }
        />
      )}
      {data && (
        <BuildForm
          overview={data}
          busy={busy}
          onBuild={(r) => void startBuild(r)}
          onRecommended={(id) => void recommended(id)}
          checkScript={checkScript}
        />
      )}
      {job && (
        <div className="card build-status" role="status" aria-label="Build status" data-state={state}>
          <strong>{state === 'succeeded' ? (job.cached ? 'Done (from the cache)' : 'Done') : state}</strong>{' '}
          {job.request.targets.join(', ')} · {(elapsed / 1000).toFixed(1)} s
          {progress && (
            <>
              {' '}
              ·{' '}
              <span data-progress>
                {progress.done}/{progress.total} objects
              </span>
              <progress max={100} value={state === 'succeeded' ? 100 : percent} aria-label="Build progress" />
            </>
          )}
          {job.error && state !== 'running' && <p className="field-error">{job.error}</p>}
          {state === 'succeeded' &&
            artifactsOfJob.map((a) => (
              <div key={a!.id} className="mono" data-built={a!.target}>
                {a!.file}: sha256 {a!.sha256}
              </div>
            ))}
        </div>
      )}
      <TerminalView
        title={job ? `make: ${job.request.targets.join(' ')}` : 'Build output'}
        chunks={chunks}
        resetKey={jobId}
        emptyText={job ? 'Waiting for make’s first output…' : 'Nothing is running.'}
        buttons={
          job
            ? [
                {
                  label: 'Cancel build',
                  tone: 'danger',
                  disabled: !running,
                  onClick: () =>
                    void act(() =>
                      api.request('POST /api/builder/builds/:id/cancel', { params: { id: job.id } }),
                    ),
                },
              ]
            : []
        }
      />
      {data && (
        <ArtifactsTable
          artifacts={data.artifacts}
          disk={data.disk}
          slotOf={slotOf}
          busy={busy}
          onServe={(id, slot) =>
            void act(() =>
              api.request('POST /api/builder/artifacts/:id/serve', { params: { id }, body: { slot } }),
            )
          }
          onDownload={(a) => void download(a)}
          onDelete={(id) =>
            void act(() => api.request('DELETE /api/builder/artifacts/:id', { params: { id } }))
          }
          onDeleteTrees={() => void act(() => api.request('POST /api/builder/work-trees/delete'))}
        />
      )}
    </Page>
  );
}
