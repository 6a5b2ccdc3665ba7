import type { NetInterface } from '../../../../services/api/contract.js';

/** Why an interface cannot carry the boot services, or undefined when it can. */
export function unusableReason(iface: NetInterface): string | undefined {
  if (iface.ipv4.length === 0) {
    return 'No IPv4 address. The boot services need one: give this interface an address (or plug in the cable and wait for it), then pick it.';
  }
  return undefined;
}

/** Cards for each interface: name, addresses, MAC, link. Ones without IPv4 look disabled and say why. */
export function InterfacePicker({
  interfaces,
  value,
  onChange,
  error,
}: {
  interfaces: NetInterface[];
  value: string | null;
  onChange(name: string): void;
  error?: string;
}) {
  const chosenMissing = value !== null && !interfaces.some((i) => i.name === value);
  return (
    <fieldset className="field">
      <legend>Network interface</legend>
      <p className="field-help">
        The boot services listen on this interface. Pick the one cabled to the machines you want to boot.
      </p>
      {chosenMissing && (
        <div className="notice">
          The chosen interface <span className="mono">{value}</span> is not on this machine now (unplugged
          adapter?). Pick another one or reconnect it.
        </div>
      )}
      <div className="iface-list" role="radiogroup" aria-label="Network interface">
        {interfaces.map((iface) => {
          const reason = unusableReason(iface);
          const checked = iface.name === value;
          return (
            <label
              key={iface.name}
              className={`iface${checked ? ' iface-checked' : ''}${reason ? ' iface-disabled' : ''}`}
              data-interface={iface.name}
            >
              <input
                type="radio"
                name="interface"
                value={iface.name}
                checked={checked}
                disabled={reason !== undefined}
                onChange={() => onChange(iface.name)}
              />
              <span className="iface-body">
                <span className="iface-name">
                  {iface.name}
                  <span className={`link ${iface.up ? 'link-up' : 'link-down'}`}>
                    {iface.up ? 'up' : 'down'}
                  </span>
                  {iface.internal && <span className="tag">loopback: this machine only</span>}
                </span>
                <span className="iface-detail mono">
                  {iface.ipv4.length > 0 ? iface.ipv4.map((a) => a.cidr).join(', ') : 'no IPv4'}
                  {iface.mac && iface.mac !== '00:00:00:00:00:00' ? ` · ${iface.mac}` : ''}
                </span>
                {reason && <span className="iface-why">{reason}</span>}
                {!reason && !iface.up && (
                  <span className="iface-why">
                    The link is down: check the cable before booting machines.
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </div>
      {interfaces.length === 0 && <p className="muted">No network interfaces were found.</p>}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
