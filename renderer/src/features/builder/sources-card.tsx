import { useState } from 'react';
import type { SourceView } from '../../../../services/api/contract.js';

export type AddSource =
  | { kind: 'git'; url: string; ref?: string }
  | { kind: 'local'; path: string }
  | { kind: 'tarball'; path: string };

/** iPXE sources: each with its version; add a Git clone (with progress and cancel), a folder or a tarball. */
export function SourcesCard({
  sources,
  busy,
  onAdd,
  onCancel,
  onRemove,
}: {
  sources: SourceView[];
  busy: boolean;
  onAdd(s: AddSource): void;
  onCancel(id: string): void;
  onRemove(id: string): void;
}) {
  const [kind, setKind] = useState<AddSource['kind']>('git');
  const [url, setUrl] = useState('https://github.com/ipxe/ipxe');
  const [ref, setRef] = useState('master');
  const [path, setPath] = useState('');
  const add = () =>
    onAdd(
      kind === 'git' ? { kind, url: url.trim(), ref: ref.trim() || undefined } : { kind, path: path.trim() },
    );
  return (
    <div className="card" aria-label="iPXE sources">
      <h2>iPXE source</h2>
      {sources.length === 0 && (
        <p className="muted">No source yet: clone iPXE, or point at a checkout or a tarball.</p>
      )}
      {sources.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Source</th>
              <th>Version</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id} data-source={s.id}>
                <td className="mono">
                  {s.kind === 'git' ? `${s.location} @ ${s.ref}` : s.location}
                  <div className="muted">
                    {s.kind === 'git' ? 'Git clone' : s.kind === 'local' ? 'Folder' : 'Tarball'}
                  </div>
                </td>
                <td className="mono">{s.version ?? '—'}</td>
                <td>
                  {s.state === 'cloning' && (
                    <span role="status">
                      {s.progress ? `${s.progress.phase} ${s.progress.percent} %` : 'Cloning…'}
                    </span>
                  )}
                  {s.state === 'ready' && 'Ready'}
                  {s.state === 'failed' && <span className="field-error">{s.error}</span>}
                </td>
                <td>
                  {s.state === 'cloning' ? (
                    <button type="button" className="button button-small" onClick={() => onCancel(s.id)}>
                      Cancel
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      onClick={() => onRemove(s.id)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline-fields">
        <label className="field">
          Add
          <select
            className="input"
            aria-label="Source kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as AddSource['kind'])}
          >
            <option value="git">Clone from Git</option>
            <option value="local">A checkout on this computer</option>
            <option value="tarball">A source tarball (.tar.gz, .tar.xz)</option>
          </select>
        </label>
        {kind === 'git' ? (
          <>
            <label className="field">
              Git URL
              <input className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} />
            </label>
            <label className="field">
              Branch, tag or commit
              <input className="input mono" value={ref} onChange={(e) => setRef(e.target.value)} />
            </label>
          </>
        ) : (
          <label className="field">
            {kind === 'local' ? 'Folder (the one containing src/)' : 'Tarball path'}
            <input className="input mono" value={path} onChange={(e) => setPath(e.target.value)} />
          </label>
        )}
      </div>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={busy || (kind === 'git' ? !url.trim() : !path.trim())}
          onClick={add}
        >
          {kind === 'git' ? 'Clone' : 'Add source'}
        </button>
      </div>
    </div>
  );
}
