import type { MenuPreviewResponse } from '../../../../services/api/contract-menu';

/**
 * The live preview: the menu as iPXE draws it in text mode (80 columns, blue screen, highlighted row),
 * and the script itself. Platform and MAC pick which client is previewed.
 */
export function MenuPreviewPanel({
  preview,
  platform,
  mac,
  busy,
  onPlatform,
  onMac,
}: {
  preview: MenuPreviewResponse | undefined;
  platform: 'pcbios' | 'efi';
  mac: string;
  busy: boolean;
  onPlatform: (p: 'pcbios' | 'efi') => void;
  onMac: (mac: string) => void;
}) {
  return (
    <div className="card menu-preview" data-testid="menu-preview">
      <div className="menu-preview-head">
        <h2>Preview</h2>
        <span className="menu-checks">
          <label>
            <input
              type="radio"
              name="menu-platform"
              checked={platform === 'pcbios'}
              data-testid="preview-bios"
              onChange={() => onPlatform('pcbios')}
            />{' '}
            BIOS
          </label>
          <label>
            <input
              type="radio"
              name="menu-platform"
              checked={platform === 'efi'}
              data-testid="preview-efi"
              onChange={() => onPlatform('efi')}
            />{' '}
            UEFI x86_64
          </label>
        </span>
        <input
          className="mono menu-preview-mac"
          placeholder="MAC (optional)"
          value={mac}
          data-testid="preview-mac"
          onChange={(e) => onMac(e.target.value)}
        />
        {busy && <span className="muted small">updating…</span>}
      </div>
      {preview?.note && <div className="notice small">{preview.note}</div>}
      {preview && preview.start.type === 'entry' && (
        <div className="notice small">
          This client boots the entry “{preview.start.entry}” directly; the menu below appears if it fails.
        </div>
      )}
      <div
        className="menu-screen"
        data-testid="menu-preview-screen"
        role="region"
        aria-label="The menu as iPXE shows it"
        // Scrolls sideways on narrow windows: reachable by keyboard (arrow keys scroll it once focused).
        tabIndex={0}
      >
        {preview?.menu.lines.map((line, i) => {
          const rowIndex = i - 3;
          const row = rowIndex >= 0 ? preview.menu.rows[rowIndex] : undefined;
          const cls = row?.selected
            ? 'menu-screen-line selected'
            : row?.kind === 'unavailable' || row?.kind === 'gap'
              ? 'menu-screen-line dim'
              : 'menu-screen-line';
          return (
            <div key={i} className={cls} data-testid={row ? `preview-row-${rowIndex}` : undefined}>
              {row?.selected ? ' ' + line.slice(2) : line}
            </div>
          );
        })}
        {!preview && <div className="menu-screen-line">Rendering…</div>}
      </div>
      <details className="menu-script">
        <summary>iPXE script</summary>
        <pre className="code-block" data-testid="preview-script">
          {preview?.script ?? ''}
        </pre>
      </details>
      <details className="menu-script">
        <summary>pxelinux.cfg/default (legacy)</summary>
        <pre className="code-block">{preview?.pxelinux ?? ''}</pre>
      </details>
    </div>
  );
}
