import type { ReactElement } from 'react';
import type { NetInterface } from '../../../../services/api/contract.js';
import { defaultPoolFor } from './dhcp-defaults';

/** What full mode hands out besides the address: pool, lease time, router, DNS servers, domain. */
export interface FullModeDraft {
  start: string;
  end: string;
  /** Minutes, as typed. */
  leaseMinutes: string;
  router: string;
  /** Comma- or space-separated addresses, as typed. */
  dns: string;
  domain: string;
  /** Full mode even when another DHCP server answers (the technician owns the network). */
  forceFull: boolean;
}

export const FULL_MODE_FIELDS = [
  'dhcp.pool',
  'dhcp.pool.start',
  'dhcp.pool.end',
  'dhcp.leaseSeconds',
  'dhcp.router',
  'dhcp.dns',
  'dhcp.domain',
  'dhcp.forceFull',
] as const;

function Field({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  error?: string;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: true;
    className: string;
  }) => ReactElement;
}) {
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
        className: error ? 'input input-bad' : 'input',
      })}
      {help && (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * Full mode's settings, with defaults from the chosen interface: the pool placeholder is the range the
 * server takes when the pool is left empty (services/dhcp/allocator.ts defaultPool).
 */
export function DhcpFullFields({
  draft,
  onChange,
  errors,
  iface,
  mode,
}: {
  mode: 'full' | 'auto';
  draft: FullModeDraft;
  onChange(draft: FullModeDraft): void;
  errors: Record<string, string>;
  iface: NetInterface | undefined;
}) {
  const addr = iface?.ipv4[0];
  const pool = addr ? defaultPoolFor(addr.address, addr.netmask) : undefined;
  const set = (patch: Partial<FullModeDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="pool" data-testid="full-mode-fields">
      <p className="field-help">
        {pool
          ? `Addresses Bootlab hands out on ${iface!.name} (${addr!.cidr}). Leave both empty to use ${pool.start}–${pool.end}.`
          : 'Addresses Bootlab hands out. Choose the interface above first: the pool must be on its network.'}
      </p>
      <div className="form-grid">
        <Field id="dhcp-pool-start" label="First address" error={errors['dhcp.pool.start']}>
          {(p) => (
            <input
              {...p}
              value={draft.start}
              placeholder={pool?.start ?? '192.168.77.100'}
              onChange={(e) => set({ start: e.target.value.trim() })}
            />
          )}
        </Field>
        <Field id="dhcp-pool-end" label="Last address" error={errors['dhcp.pool.end']}>
          {(p) => (
            <input
              {...p}
              value={draft.end}
              placeholder={pool?.end ?? '192.168.77.199'}
              onChange={(e) => set({ end: e.target.value.trim() })}
            />
          )}
        </Field>
        <Field
          id="dhcp-lease"
          label="Lease time (minutes)"
          help="How long a machine keeps its address. Shorter frees the pool sooner on a busy bench."
          error={errors['dhcp.leaseSeconds']}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              value={draft.leaseMinutes}
              onChange={(e) => set({ leaseMinutes: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="dhcp-router"
          label="Router (gateway)"
          help="Leave empty on a bench network without internet: no gateway is sent."
          error={errors['dhcp.router']}
        >
          {(p) => (
            <input
              {...p}
              value={draft.router}
              placeholder={addr ? 'none' : ''}
              onChange={(e) => set({ router: e.target.value.trim() })}
            />
          )}
        </Field>
        <Field
          id="dhcp-dns"
          label="DNS servers"
          help="Separated by commas, e.g. 1.1.1.1, 9.9.9.9. Needed when boot entries download by name."
          error={errors['dhcp.dns']}
        >
          {(p) => (
            <input
              {...p}
              value={draft.dns}
              placeholder="none"
              onChange={(e) => set({ dns: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="dhcp-domain"
          label="Domain name"
          help="Optional, e.g. bench.lan."
          error={errors['dhcp.domain']}
        >
          {(p) => (
            <input
              {...p}
              value={draft.domain}
              placeholder="none"
              onChange={(e) => set({ domain: e.target.value.trim() })}
            />
          )}
        </Field>
      </div>
      {errors['dhcp.pool'] && <p className="field-error">{errors['dhcp.pool']}</p>}
      {mode === 'full' && (
        <label className="check-field">
          <input
            type="checkbox"
            checked={draft.forceFull}
            onChange={(e) => set({ forceFull: e.target.checked })}
          />{' '}
          Start full mode even when another DHCP server answers (only on a network you own: two servers
          handing out addresses break it for everyone)
        </label>
      )}
    </div>
  );
}
