import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { BootRootListing } from '../../../../services/api/contract-menu';
import { toProblem, type Problem } from '../../api/use-request';

function parentOf(dir: string): string {
  const i = dir.lastIndexOf('/');
  return i < 0 ? '' : dir.slice(0, i);
}

/** Browses the boot root (never outside it: the server refuses) and picks a file path relative to it. */
export function FilePicker({
  api,
  value,
  onPick,
  onClose,
}: {
  api: ApiClient;
  value: string;
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const start = value.includes('://') ? '' : parentOf(value.replace(/\\/g, '/'));
  const [dir, setDir] = useState(start);
  const [listing, setListing] = useState<BootRootListing | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();

  useEffect(() => {
    let live = true;
    api
      .request('GET /api/boot-root/files', { query: { dir } })
      .then((l) => live && (setListing(l), setProblem(undefined)))
      .catch((err: unknown) => {
        if (!live) return;
        // A folder that no longer exists: fall back to the root rather than a dead end.
        if (dir !== '') setDir('');
        else setProblem(toProblem(err));
      });
    return () => {
      live = false;
    };
  }, [api, dir]);

  return (
    <div className="menu-file-picker" role="dialog" aria-label="Choose a file from the boot root">
      <div className="menu-file-picker-head">
        <span className="mono">/{dir}</span>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </div>
      {problem && (
        <div className="field-error">
          {problem.message} {problem.hint}
        </div>
      )}
      <ul className="menu-file-list">
        {dir !== '' && (
          <li>
            <button type="button" className="menu-file-item" onClick={() => setDir(parentOf(dir))}>
              ⬑ ..
            </button>
          </li>
        )}
        {listing?.entries.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              className="menu-file-item"
              data-testid={`file-${e.path}`}
              onClick={() => (e.type === 'dir' ? setDir(e.path) : (onPick(e.path), onClose()))}
            >
              {e.type === 'dir' ? '📁 ' : '📄 '}
              {e.name}
              {e.type === 'file' && <span className="muted small"> {formatSize(e.size)}</span>}
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 && <li className="muted small">This folder is empty.</li>}
      </ul>
    </div>
  );
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
