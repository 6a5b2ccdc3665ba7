import { useEffect, useState } from 'react';
import type { NetInterface, Profile } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { nativeBridge } from '../../native/native-bridge';
import { DhcpModePicker, type PoolDraft } from './dhcp-mode-picker';
import { fieldErrorsFrom } from './field-errors';
import { InterfacePicker, unusableReason } from './interface-picker';
import { PortFields, PORT_FIELDS, portsFromProfile, type PortDraft } from './port-fields';

interface Draft {
  interface: string | null;
  mode: Profile['dhcp']['mode'];
  pool: PoolDraft;
  bootRoot: string;
  ports: PortDraft;
}

const FIELDS = [
  'interface',
  'bootRoot',
  'dhcp.mode',
  'dhcp.pool',
  'dhcp.pool.start',
  'dhcp.pool.end',
  ...PORT_FIELDS.map((p) => p.path),
];

function draftFrom(profile: Profile): Draft {
  return {
    interface: profile.interface,
    mode: profile.dhcp.mode,
    pool: { start: profile.dhcp.pool?.start ?? '', end: profile.dhcp.pool?.end ?? '' },
    bootRoot: profile.bootRoot ?? '',
    ports: portsFromProfile(profile),
  };
}

/** The partial profile PUT /api/config takes; the server deep-merges and validates it. */
export function patchFrom(draft: Draft): Record<string, unknown> {
  const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s);
  const dhcp: Record<string, unknown> = {
    mode: draft.mode,
    port: num(draft.ports.dhcp),
    proxyPort: num(draft.ports.dhcpProxy),
  };
  if (draft.mode === 'full') dhcp.pool = { start: draft.pool.start, end: draft.pool.end };
  return {
    interface: draft.interface,
    bootRoot: draft.bootRoot.trim() === '' ? null : draft.bootRoot.trim(),
    dhcp,
    tftp: { port: num(draft.ports.tftp) },
    http: { port: num(draft.ports.http) },
    syslog: { port: num(draft.ports.syslog) },
  };
}

/** Interface, DHCP mode, boot root and ports; saved with PUT /api/config, server errors shown beside the form. */
export function SettingsPage() {
  const { api, generation } = useApi();
  const ifaces = useRequest(() => api.request('GET /api/interfaces'), [api, generation]);
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [saveProblem, setSaveProblem] = useState<Problem | undefined>(undefined);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  // Start the form from the stored profile (and again if it is reloaded while nothing was edited).
  useEffect(() => {
    if (config.data && !draft) setDraft(draftFrom(config.data.profile));
  }, [config.data, draft]);

  useLiveEvents(['net.interfaces'], (event) => ifaces.setData({ interfaces: event.payload.interfaces }));

  const interfaces: NetInterface[] = ifaces.data?.interfaces ?? [];
  const native = nativeBridge();

  const edit = (change: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...change } : d));
    setSaved(false);
  };

  const save = async () => {
    if (!draft) return;
    const local = checkLocally(draft, interfaces);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) {
      setSaveProblem({
        message: 'Some settings need attention before saving.',
        hint: 'See the notes beside the fields.',
        code: 'LOCAL',
      });
      return;
    }
    setSaving(true);
    setSaveProblem(undefined);
    try {
      const res = await api.request('PUT /api/config', { body: patchFrom(draft) });
      config.setData(res);
      setDraft(draftFrom(res.profile));
      setSaved(true);
    } catch (err) {
      const problem = toProblem(err);
      setSaveProblem(problem);
      setFieldErrors(fieldErrorsFrom(problem.message, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  const dirty =
    draft && config.data
      ? JSON.stringify(patchFrom(draft)) !== JSON.stringify(patchFrom(draftFrom(config.data.profile)))
      : false;

  return (
    <Page
      title="Settings"
      intro="Where the boot services listen and how they answer. Changes apply the next time a service starts."
    >
      {(ifaces.problem ?? config.problem) && <ProblemBox problem={(ifaces.problem ?? config.problem)!} />}
      {draft && (
        <div className="settings-layout">
          <form
            className="card settings-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <InterfacePicker
              interfaces={interfaces}
              value={draft.interface}
              onChange={(name) => edit({ interface: name })}
              error={fieldErrors.interface}
            />
            <DhcpModePicker
              mode={draft.mode}
              pool={draft.pool}
              onMode={(mode) => edit({ mode })}
              onPool={(pool) => edit({ pool })}
              errors={fieldErrors}
            />
            <fieldset className="field">
              <legend>Boot files folder</legend>
              <p className="field-help">
                TFTP and HTTP serve files from here. Leave empty for Bootlab’s own folder.
              </p>
              <div className="inline-fields">
                <input
                  className={fieldErrors.bootRoot ? 'input input-wide input-bad' : 'input input-wide'}
                  value={draft.bootRoot}
                  placeholder="(default: the boot folder in Bootlab’s data folder)"
                  aria-label="Boot files folder"
                  onChange={(e) => edit({ bootRoot: e.target.value })}
                />
                {native && (
                  <button
                    type="button"
                    className="button"
                    onClick={async () => {
                      const dir = await native.pickFolder({ title: 'Folder with boot files' });
                      if (dir) edit({ bootRoot: dir });
                    }}
                  >
                    Browse…
                  </button>
                )}
              </div>
              {fieldErrors.bootRoot && <p className="field-error">{fieldErrors.bootRoot}</p>}
            </fieldset>
            <PortFields ports={draft.ports} onChange={(ports) => edit({ ports })} errors={fieldErrors} />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={saving || !dirty}>
                {saving ? 'Saving…' : 'Save settings'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                disabled={saving || !dirty}
                onClick={() => {
                  if (config.data) setDraft(draftFrom(config.data.profile));
                  setFieldErrors({});
                  setSaveProblem(undefined);
                }}
              >
                Undo changes
              </button>
              {saved && !dirty && (
                <span className="saved" role="status">
                  Saved.
                </span>
              )}
            </div>
          </form>
          <aside className="settings-side" aria-live="polite">
            {saveProblem ? (
              <ProblemBox title="Not saved" problem={saveProblem} />
            ) : (
              <div className="card muted small">
                <p>
                  <strong>Ports below 1024</strong> (DHCP 67, TFTP 69, HTTP 80, syslog 514) need administrator
                  rights. The Bootlab app asks for them when needed; with <code>bootlab serve</code>, run it
                  as root or grant the right once with{' '}
                  <code>sudo setcap cap_net_bind_service+ep $(command -v node)</code>.
                </p>
                <p>
                  Saving restarts each running service whose settings changed, so they take effect at once;
                  a stopped service uses them when it starts.
                </p>
              </div>
            )}
          </aside>
        </div>
      )}
      {!draft && config.loading && <div className="page-loading">Reading the settings…</div>}
    </Page>
  );
}

function checkLocally(draft: Draft, interfaces: NetInterface[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const chosen = interfaces.find((i) => i.name === draft.interface);
  if (chosen) {
    const why = unusableReason(chosen);
    if (why) errors.interface = why;
  }
  if (draft.mode === 'full') {
    if (!draft.pool.start) errors['dhcp.pool.start'] = 'Full mode needs the first address of the pool.';
    if (!draft.pool.end) errors['dhcp.pool.end'] = 'Full mode needs the last address of the pool.';
  }
  for (const p of PORT_FIELDS) {
    const value = draft.ports[p.key].trim();
    if (!/^\d+$/.test(value) || Number(value) < p.min || Number(value) > 65535) {
      errors[p.path] =
        `A port is a number from ${p.min} to 65535${p.min === 0 ? ' (0: any free port)' : ''}.`;
    }
  }
  return errors;
}
