import type { ArtifactView, DiskUsage, ServeSlot } from '../../../../services/api/contract.js';
import { formatBytes } from '../../components/format';

const SLOT_LABEL: Record<ServeSlot, string> = {
  bios: 'BIOS',
  'efi-x64': 'UEFI x64',
  'efi-arm64': 'UEFI ARM64',
};

/** Stored images: what each has, its sha256, whether DHCP hands it out; serve, download, delete. */
export function ArtifactsTable({
  artifacts,
  disk,
  slotOf,
  busy,
  onServe,
  onDownload,
  onDelete,
  onDeleteTrees,
}: {
  artifacts: ArtifactView[];
  disk: DiskUsage;
  slotOf(target: string): ServeSlot | undefined;
  busy: boolean;
  onServe(id: string, slot: ServeSlot): void;
  onDownload(a: ArtifactView): void;
  onDelete(id: string): void;
  onDeleteTrees(): void;
}) {
  return (
    <div className="card" aria-label="Built images">
      <h2>Built images</h2>
      <p className="muted" data-disk>
        Disk: images {formatBytes(disk.artifactsBytes)}, work trees {formatBytes(disk.workTreesBytes)},
        sources {formatBytes(disk.sourcesBytes)}.{' '}
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={busy}
          onClick={onDeleteTrees}
        >
          Delete work trees
        </button>
      </p>
      {artifacts.length === 0 ? (
        <p className="muted">Nothing built yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Image</th>
              <th>Features</th>
              <th>Size / sha256</th>
              <th>Built</th>
              <th>DHCP</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {artifacts.map((a) => {
              const slot = slotOf(a.target);
              return (
                <tr key={a.id} data-artifact={a.id}>
                  <td className="mono">
                    {a.target}
                    <div className="muted">
                      iPXE {a.sourceVersion ?? '?'} · script: {a.script}
                    </div>
                    {a.stale && <div className="field-error">{a.stale}</div>}
                  </td>
                  <td>{a.features.join(', ') || '—'}</td>
                  <td className="mono">
                    {formatBytes(a.size)}
                    <div className="muted" data-sha256 title={a.sha256}>
                      sha256 {a.sha256}
                    </div>
                  </td>
                  <td>
                    {new Date(a.createdAt).toLocaleString()}
                    <div className="muted">{(a.buildMs / 1000).toFixed(1)} s</div>
                  </td>
                  <td>
                    {a.servedAs.length > 0
                      ? `Handed out for ${a.servedAs.map((s) => SLOT_LABEL[s]).join(', ')}`
                      : '—'}
                  </td>
                  <td>
                    {slot && !a.servedAs.includes(slot) && (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={busy}
                        onClick={() => onServe(a.id, slot)}
                      >
                        Serve for {SLOT_LABEL[slot]}
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      onClick={() => onDownload(a)}
                    >
                      Download
                    </button>
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      disabled={busy}
                      onClick={() => onDelete(a.id)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
