import type { Profile } from '../../../../services/api/contract.js';

type Mode = Profile['dhcp']['mode'];

export const DHCP_MODES: readonly { mode: Mode; label: string; explain: string }[] = [
  {
    mode: 'auto',
    label: 'Automatic',
    explain:
      'Bootlab looks for another DHCP server first: proxy mode if one answers, full mode if none does.',
  },
  {
    mode: 'proxy',
    label: 'Proxy',
    explain: 'Your router (or another server) hands out addresses; Bootlab only adds where to boot from.',
  },
  {
    mode: 'full',
    label: 'Full',
    explain:
      'Bootlab hands out addresses itself from the pool below. Only on a network with no other DHCP server.',
  },
  {
    mode: 'off',
    label: 'Off',
    explain: 'No DHCP from Bootlab: another server is already set up to send clients here.',
  },
];

export interface PoolDraft {
  start: string;
  end: string;
}

/** DHCP mode as four explained choices; full mode asks for the address pool. */
export function DhcpModePicker({
  mode,
  pool,
  onMode,
  onPool,
  errors,
}: {
  mode: Mode;
  pool: PoolDraft;
  onMode(mode: Mode): void;
  onPool(pool: PoolDraft): void;
  errors: Record<string, string>;
}) {
  return (
    <fieldset className="field">
      <legend>DHCP mode</legend>
      <div className="choice-list" role="radiogroup" aria-label="DHCP mode">
        {DHCP_MODES.map((m) => (
          <label
            key={m.mode}
            className={`choice${mode === m.mode ? ' choice-checked' : ''}`}
            data-dhcp-mode={m.mode}
          >
            <input
              type="radio"
              name="dhcp-mode"
              value={m.mode}
              checked={mode === m.mode}
              onChange={() => onMode(m.mode)}
            />
            <span>
              <span className="choice-label">{m.label}</span>
              <span className="choice-explain">{m.explain}</span>
            </span>
          </label>
        ))}
      </div>
      {mode === 'full' && (
        <div className="pool">
          <p className="field-help">
            Addresses Bootlab may hand out (on the interface’s subnet, outside any other server’s range):
          </p>
          <div className="inline-fields">
            <label>
              First address
              <input
                className={errors['dhcp.pool.start'] ? 'input input-bad' : 'input'}
                value={pool.start}
                placeholder="192.168.77.100"
                onChange={(e) => onPool({ ...pool, start: e.target.value.trim() })}
              />
              {errors['dhcp.pool.start'] && <span className="field-error">{errors['dhcp.pool.start']}</span>}
            </label>
            <label>
              Last address
              <input
                className={errors['dhcp.pool.end'] ? 'input input-bad' : 'input'}
                value={pool.end}
                placeholder="192.168.77.199"
                onChange={(e) => onPool({ ...pool, end: e.target.value.trim() })}
              />
              {errors['dhcp.pool.end'] && <span className="field-error">{errors['dhcp.pool.end']}</span>}
            </label>
          </div>
          {errors['dhcp.pool'] && <p className="field-error">{errors['dhcp.pool']}</p>}
        </div>
      )}
    </fieldset>
  );
}
