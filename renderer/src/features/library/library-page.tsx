import { useState } from 'react';
import type {
  BootMethod,
  CatalogItemView,
  DownloadView,
  LibraryIsoView,
  LibraryOverview,
} from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { nativeBridge } from '../../native/native-bridge';
import { bytesText, downloadLine, METHOD_WORDS, percent } from './library-words';

/**
 * The boot library: ISOs found in the library folder (each boots from its own submenu; the method can be
 * changed), the catalog of tools to download with verification, the download queue, and offline import.
 */
export function LibraryPage() {
  const { api, generation } = useApi();
  const overview = useRequest(() => api.request('GET /api/library'), [api, generation]);
  const [problem, setProblem] = useState<Problem | undefined>();

  useLiveEvents(['library.changed'], () => void overview.reload());
  useLiveEvents(['library.download'], (e) => {
    const d = e.payload as DownloadView;
    overview.setData((o: LibraryOverview | undefined) => {
      if (!o) return o;
      const has = o.downloads.some((x) => x.id === d.id);
      return { ...o, downloads: has ? o.downloads.map((x) => (x.id === d.id ? d : x)) : [...o.downloads, d] };
    });
    if (d.state === 'done') void overview.reload();
  });

  const act = async (work: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await work();
      await overview.reload();
    } catch (err) {
      setProblem(toProblem(err));
    }
  };

  const data = overview.data;
  return (
    <Page
      title="Library"
      intro="Drop ISO files into the library folder and every machine can boot them from its own submenu. Download rescue and install tools, checked against their publisher's checksums."
    >
      {overview.problem && <ProblemBox problem={overview.problem} />}
      {problem && <ProblemBox problem={problem} />}
      {data && (
        <>
          <IsoCard data={data} act={act} />
          <DownloadsCard downloads={data.downloads} act={act} />
          <CatalogCard data={data} act={act} />
          <ImportCard act={act} />
        </>
      )}
    </Page>
  );
}

type Act = (work: () => Promise<unknown>) => Promise<void>;

function IsoCard({ data, act }: { data: LibraryOverview; act: Act }) {
  const { api } = useApi();
  return (
    <div className="card table-card" data-testid="library-isos">
      <h2>ISO files</h2>
      <p className="muted">
        Folder <span className="mono">{data.folder}/</span> in the boot folder. Files still being copied are
        offered once their size stops changing.{' '}
        <button
          type="button"
          className="button button-small"
          onClick={() => void act(() => api.request('POST /api/library/rescan'))}
        >
          Look again
        </button>
      </p>
      {data.isos.length === 0 ? (
        <div className="empty">
          No ISO files yet. Copy one into the folder, import one below, or download one from the catalog.
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Boots with</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {data.isos.map((iso) => (
              <IsoRow key={iso.file} iso={iso} act={act} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function IsoRow({ iso, act }: { iso: LibraryIsoView; act: Act }) {
  const { api } = useApi();
  const plan = iso.inspection?.plans.find((p) => p.method === iso.method);
  return (
    <tr data-iso={iso.file} data-state={iso.state}>
      <td>
        <div>{iso.name}</div>
        <div className="muted small mono">{iso.file}</div>
      </td>
      <td>{iso.inspection?.familyLabel ?? (iso.state === 'failed' ? '—' : 'Reading…')}</td>
      <td>
        {iso.state === 'ready' && iso.inspection ? (
          <>
            <select
              className="input"
              aria-label={`Boot method for ${iso.file}`}
              value={iso.method}
              onChange={(e) =>
                void act(() =>
                  api.request('PUT /api/library/method', {
                    body: {
                      file: iso.file,
                      method:
                        e.target.value === iso.inspection!.plans[0]!.method
                          ? null
                          : (e.target.value as BootMethod),
                    },
                  }),
                )
              }
            >
              {iso.inspection.plans.map((p, i) => (
                <option key={p.method} value={p.method}>
                  {METHOD_WORDS[p.method]}
                  {i === 0 ? ' (recommended)' : ''}
                </option>
              ))}
            </select>
            {plan && <div className="muted small">{plan.reason}</div>}
          </>
        ) : (
          <span className={iso.state === 'failed' ? 'cell-problem' : 'muted'}>
            {iso.state === 'growing'
              ? 'Waiting: the file is still growing.'
              : iso.state === 'inspecting'
                ? 'Reading the ISO…'
                : iso.message}
          </span>
        )}
      </td>
      <td>{bytesText(iso.size)}</td>
    </tr>
  );
}

function DownloadsCard({ downloads, act }: { downloads: DownloadView[]; act: Act }) {
  const { api } = useApi();
  if (downloads.length === 0) return null;
  return (
    <div className="card table-card" data-testid="library-downloads">
      <h2>Downloads</h2>
      <table className="table">
        <tbody>
          {downloads.map((d) => (
            <tr key={d.id} data-download={d.catalogId ?? d.id} data-state={d.state}>
              <td>
                <div>{d.name}</div>
                <div className="progress" aria-hidden>
                  <div
                    className="progress-bar"
                    style={{ width: `${d.state === 'done' ? 100 : percent(d)}%` }}
                  />
                </div>
                <div className={d.state === 'failed' ? 'cell-problem small' : 'muted small'}>
                  {downloadLine(d)}
                </div>
              </td>
              <td className="service-actions">
                {(d.state === 'downloading' || d.state === 'queued') && (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() =>
                      void act(() =>
                        api.request('POST /api/library/downloads/:id/pause', { params: { id: d.id } }),
                      )
                    }
                  >
                    Pause
                  </button>
                )}
                {(d.state === 'paused' || d.state === 'failed') && (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() =>
                      void act(() =>
                        api.request('POST /api/library/downloads/:id/resume', { params: { id: d.id } }),
                      )
                    }
                  >
                    {d.state === 'failed' ? 'Retry' : 'Resume'}
                  </button>
                )}
                {d.state !== 'verifying' && (
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    onClick={() =>
                      void act(() =>
                        api.request('DELETE /api/library/downloads/:id', { params: { id: d.id } }),
                      )
                    }
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CatalogCard({ data, act }: { data: LibraryOverview; act: Act }) {
  const { api } = useApi();
  const c = data.catalog;
  return (
    <div className="card table-card" data-testid="library-catalog">
      <h2>Catalog</h2>
      <p className="muted">
        {c.source}, version {c.version}.{' '}
        <button
          type="button"
          className="button button-small"
          onClick={() => void act(() => api.request('POST /api/library/catalog/update'))}
        >
          Check for a newer catalog
        </button>
      </p>
      {c.updateError && <ProblemBox problem={{ message: c.updateError, hint: '', code: 'CATALOG' }} />}
      <table className="table">
        <tbody>
          {c.items.map((item) => (
            <CatalogRow key={item.id} item={item} act={act} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CatalogRow({ item, act }: { item: CatalogItemView; act: Act }) {
  const { api } = useApi();
  return (
    <tr data-catalog={item.id}>
      <td>
        <div>
          {item.name} {item.size ? <span className="muted small">({bytesText(item.size)})</span> : null}
        </div>
        <div className="muted small">{item.description}</div>
        <div className="small">Verified by: {item.verification}</div>
        {item.notes && <div className="muted small">{item.notes}</div>}
      </td>
      <td className="service-actions">
        {item.downloadable && (
          <button
            type="button"
            className="button button-small button-primary"
            onClick={() =>
              void act(() => api.request('POST /api/library/downloads', { body: { catalogId: item.id } }))
            }
          >
            Download
          </button>
        )}
        {(item.kind === 'chain' ||
          item.kind === 'user-files' ||
          item.kind === 'binary' ||
          item.kind === 'kernel') && (
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              void act(() => api.request('POST /api/library/add-to-menu', { body: { catalogId: item.id } }))
            }
          >
            Add to menu
          </button>
        )}
      </td>
    </tr>
  );
}

function ImportCard({ act }: { act: Act }) {
  const { api } = useApi();
  const [path, setPath] = useState('');
  const bridge = nativeBridge();
  return (
    <div className="card">
      <h2>Import a local file</h2>
      <p className="muted">
        An ISO goes into the library folder; a kernel or other boot file into downloads/ of the boot folder.
        No network needed.
      </p>
      <div className="inline-fields">
        <input
          className="input input-wide"
          aria-label="Path of the file to import"
          placeholder="Full path, e.g. Downloads/rescue.iso in your home folder"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        {bridge && (
          <button
            type="button"
            className="button"
            onClick={() =>
              void bridge.pickFile({ title: 'Pick an ISO or boot file' }).then((p) => p && setPath(p))
            }
          >
            Browse…
          </button>
        )}
        <button
          type="button"
          className="button button-primary"
          disabled={!path.trim()}
          onClick={() =>
            void act(() =>
              api
                .request('POST /api/library/import', { body: { path: path.trim() } })
                .then(() => setPath('')),
            )
          }
        >
          Import
        </button>
      </div>
    </div>
  );
}
