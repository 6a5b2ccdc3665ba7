import type { Profile } from '../../../../services/api/contract.js';

export interface PortDraft {
  dhcp: string;
  dhcpProxy: string;
  tftp: string;
  http: string;
  syslog: string;
}

export const PORT_FIELDS: readonly {
  key: keyof PortDraft;
  path: string;
  label: string;
  standard: number;
  min: number;
}[] = [
  { key: 'dhcp', path: 'dhcp.port', label: 'DHCP', standard: 67, min: 1 },
  { key: 'dhcpProxy', path: 'dhcp.proxyPort', label: 'PXE boot server', standard: 4011, min: 1 },
  { key: 'tftp', path: 'tftp.port', label: 'TFTP', standard: 69, min: 1 },
  { key: 'http', path: 'http.port', label: 'HTTP', standard: 80, min: 0 },
  { key: 'syslog', path: 'syslog.port', label: 'Syslog', standard: 514, min: 1 },
];

export function portsFromProfile(profile: Profile): PortDraft {
  return {
    dhcp: String(profile.dhcp.port),
    dhcpProxy: String(profile.dhcp.proxyPort),
    tftp: String(profile.tftp.port),
    http: String(profile.http.port),
    syslog: String(profile.syslog.port),
  };
}

/** Ports, folded away: machines on the wire expect the standard ones; other values are for tests. */
export function PortFields({
  ports,
  onChange,
  errors,
}: {
  ports: PortDraft;
  onChange(ports: PortDraft): void;
  errors: Record<string, string>;
}) {
  const changed = PORT_FIELDS.some((p) => ports[p.key] !== String(p.standard));
  const anyError = PORT_FIELDS.some((p) => errors[p.path]);
  return (
    <details className="field" open={changed || anyError}>
      <summary>Ports {changed ? '(changed from the standard ones)' : '(standard)'}</summary>
      <p className="field-help">
        Network-booting machines always ask on the standard ports; change these only for tests or when a relay
        forwards them.
      </p>
      <div className="port-grid">
        {PORT_FIELDS.map((p) => (
          <label key={p.key}>
            {p.label} <span className="muted">(standard {p.standard})</span>
            <input
              className={errors[p.path] ? 'input input-bad' : 'input'}
              inputMode="numeric"
              value={ports[p.key]}
              onChange={(e) => onChange({ ...ports, [p.key]: e.target.value })}
            />
            {errors[p.path] && <span className="field-error">{errors[p.path]}</span>}
          </label>
        ))}
      </div>
    </details>
  );
}
