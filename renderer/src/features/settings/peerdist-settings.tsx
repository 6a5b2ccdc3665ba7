import { useState } from 'react';
import type { Profile } from '../../../../services/api/contract.js';
import { useApi } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';

type PeerdistPatch = Partial<Profile['peerdist']>;

/**
 * PeerDist (BranchCache) and syslog-over-TLS switches. Each change is saved at once (the HTTP and syslog
 * services restart with it). `set peerhost` is what points iPXE at Bootlab's hosted cache; the port is
 * shown because an embedded script or another server's script has to name it.
 */
export function PeerdistSettings() {
  const { api, generation } = useApi();
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [port, setPort] = useState<string | undefined>(undefined);
  // A box shows its new value while it is saved; a refused save puts the stored one back.
  const [pending, setPending] = useState<{ peerdist?: PeerdistPatch; tls?: boolean }>({});
  const stored = config.data?.profile.peerdist;
  const pd = stored ? { ...stored, ...pending.peerdist } : undefined;
  const tls = pending.tls ?? config.data?.profile.syslog.tls.enabled ?? false;

  const save = async (body: { peerdist?: PeerdistPatch; syslog?: { tls: { enabled: boolean } } }) => {
    setSaving(true);
    setProblem(undefined);
    setPending({ peerdist: body.peerdist, tls: body.syslog?.tls.enabled });
    try {
      config.setData(await api.request('PUT /api/config', { body }));
      setPort(undefined);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setPending({});
      setSaving(false);
    }
  };
  const disabled = saving || !pd;

  return (
    <section className="card settings-peerdist" aria-labelledby="peerdist-settings-title">
      <h2 id="peerdist-settings-title">Peer downloads (PeerDist) and syslog</h2>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={pd?.enabled ?? true}
          disabled={disabled}
          onChange={(e) => void save({ peerdist: { enabled: e.target.checked } })}
        />{' '}
        Offer PeerDist to iPXE builds that support it, and run the hosted cache
      </label>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={pd?.setPeerhost ?? true}
          disabled={disabled || !pd?.enabled}
          onChange={(e) => void save({ peerdist: { setPeerhost: e.target.checked } })}
        />{' '}
        Put <code>set peerhost</code> in the boot script (machines fetch blocks from the hosted cache)
      </label>
      <div className="field-row">
        <label>
          Hosted cache port{' '}
          <input
            className="input"
            aria-label="Hosted cache port"
            inputMode="numeric"
            value={port ?? String(pd?.cachePort ?? 8091)}
            disabled={disabled}
            onChange={(e) => setPort(e.target.value)}
          />
        </label>{' '}
        <button
          type="button"
          className="button"
          disabled={disabled || port === undefined || !/^\d{1,5}$/.test(port)}
          onClick={() => void save({ peerdist: { cachePort: Number(port) } })}
        >
          Save port
        </button>
      </div>
      <label>
        The cache holds{' '}
        <select
          className="input"
          aria-label="Hosted cache fill"
          value={pd?.fill ?? 'on-demand'}
          disabled={disabled}
          onChange={(e) => void save({ peerdist: { fill: e.target.value as 'preload' | 'on-demand' } })}
        >
          <option value="on-demand">
            blocks a machine already fetched (the first machine gets everything from here)
          </option>
          <option value="preload">every block of the files it is asked about</option>
        </select>
      </label>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={tls}
          disabled={saving || !config.data}
          onChange={(e) => void save({ syslog: { tls: { enabled: e.target.checked } } })}
        />{' '}
        Accept syslog over TLS on the syslog port (Bootlab makes a certificate; an iPXE build needs it as
        TRUST)
      </label>
      <p className="field-help">
        Only iPXE builds with PeerDist (the Builder's “peerdist” feature) use it. The Clients page shows each
        machine&apos;s share of blocks from the cache next to what iPXE itself reports.
      </p>
      {problem && <ProblemBox title="Not saved" problem={problem} />}
    </section>
  );
}
