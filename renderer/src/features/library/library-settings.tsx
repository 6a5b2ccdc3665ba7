import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';

/**
 * The boot library's settings on the Settings page: the ISO folder (inside the boot folder), the address
 * a newer catalog is fetched from (empty turns updates off) and how many downloads run at once. Saved with
 * their own button: they touch no boot service.
 */
export function LibrarySettings() {
  const { api, generation } = useApi();
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const stored = config.data?.profile.library;
  const [folder, setFolder] = useState('');
  const [catalogUrl, setCatalogUrl] = useState('');
  const [parallel, setParallel] = useState('2');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!stored) return;
    setFolder(stored.folder);
    setCatalogUrl(stored.catalogUrl);
    setParallel(String(stored.parallel));
  }, [stored]);

  const save = async () => {
    setProblem(undefined);
    setSaved(false);
    try {
      config.setData(
        await api.request('PUT /api/config', {
          body: {
            library: { folder: folder.trim(), catalogUrl: catalogUrl.trim(), parallel: Number(parallel) },
          },
        }),
      );
      setSaved(true);
    } catch (err) {
      setProblem(toProblem(err));
    }
  };

  return (
    <section className="card" aria-labelledby="library-settings-title" data-testid="library-settings">
      <h2 id="library-settings-title">Boot library</h2>
      <label className="field">
        <span>ISO folder (inside the boot folder)</span>
        <input
          className="input"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="isos"
        />
      </label>
      <p className="field-help">Every ISO copied here appears in the boot menu in its own submenu.</p>
      <label className="field">
        <span>Catalog address</span>
        <input
          className="input input-wide"
          value={catalogUrl}
          onChange={(e) => setCatalogUrl(e.target.value)}
          placeholder="empty: catalog updates off"
        />
      </label>
      <p className="field-help">
        Where Bootlab fetches a newer catalog of tools. Leave it empty to use the built-in catalog only.
      </p>
      <label className="field">
        <span>Downloads at once</span>
        <input
          className="input"
          type="number"
          min={1}
          max={8}
          value={parallel}
          onChange={(e) => setParallel(e.target.value)}
        />
      </label>
      <div className="form-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={!stored}
          onClick={() => void save()}
        >
          Save library settings
        </button>
        {saved && <span className="saved">Saved.</span>}
      </div>
      {problem && <ProblemBox title="Not saved" problem={problem} />}
    </section>
  );
}
