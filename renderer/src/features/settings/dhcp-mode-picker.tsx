import type { NetInterface, Profile } from '../../../../services/api/contract.js';
import { DhcpFullFields, type FullModeDraft } from './dhcp-full-fields';

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

/** DHCP mode as four explained choices; full (and automatic) mode shows what it hands out. */
export function DhcpModePicker({
  mode,
  full,
  onMode,
  onFull,
  errors,
  iface,
}: {
  mode: Mode;
  full: FullModeDraft;
  onMode(mode: Mode): void;
  onFull(full: FullModeDraft): void;
  errors: Record<string, string>;
  iface: NetInterface | undefined;
}) {
  return (
    <fieldset className="field">
      <legend>DHCP</legend>
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
      {(mode === 'full' || mode === 'auto') && (
        <>
          {mode === 'auto' && (
            <p className="field-help">
              Used when automatic mode finds no other DHCP server and hands out addresses:
            </p>
          )}
          <DhcpFullFields mode={mode} draft={full} onChange={onFull} errors={errors} iface={iface} />
        </>
      )}
    </fieldset>
  );
}
