import { useEffect, useState } from 'react';
import type { NetInterface, Profile, ServiceName } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { nativeBridge } from '../../native/native-bridge';
import { DesktopSettings } from './desktop-settings';
import { PeerdistSettings } from './peerdist-settings';
import { LibrarySettings } from '../library/library-settings';
import { DhcpModePicker } from './dhcp-mode-picker';
import { FULL_MODE_FIELDS, type FullModeDraft } from './dhcp-full-fields';
import { isIpv4 } from './dhcp-defaults';
import { useUnsavedGuard } from '../../app/unsaved-guard';
import { fieldErrorsOf } from './field-errors';
import { UiAddressCard } from './ui-address';
import { SERVICE_INFO } from '../dashboard/service-info';
import { InterfacePicker, unusableReason } from './interface-picker';
import { PortFields, PORT_FIELDS, portsFromProfile, type PortDraft } from './port-fields';

interface Draft {
  interface: string | null;
  mode: Profile['dhcp']['mode'];
  full: FullModeDraft;
  bootRoot: string;
  ports: PortDraft;
}

const FIELDS = ['interface', 'bootRoot', 'dhcp.mode', ...FULL_MODE_FIELDS, ...PORT_FIELDS.map((p) => p.path)];

function draftFrom(profile: Profile): Draft {
  return {
    interface: profile.interface,
    mode: profile.dhcp.mode,
    full: {
      start: profile.dhcp.pool?.start ?? '',
      end: profile.dhcp.pool?.end ?? '',
      leaseMinutes: String(Math.round(profile.dhcp.leaseSeconds / 60)),
      router: profile.dhcp.router ?? '',
      dns: profile.dhcp.dns.join(', '),
      domain: profile.dhcp.domain ?? '',
      forceFull: profile.dhcp.forceFull,
    },
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
  if (draft.mode === 'full' || draft.mode === 'auto') {
    const f = draft.full;
    // Both empty: the server takes its default range on the interface's subnet (allocator defaultPool).
    dhcp.pool = f.start === '' && f.end === '' ? null : { start: f.start, end: f.end };
    dhcp.leaseSeconds = /^\d+$/.test(f.leaseMinutes.trim())
      ? Number(f.leaseMinutes.trim()) * 60
      : f.leaseMinutes;
    dhcp.router = f.router === '' ? null : f.router;
    dhcp.dns = dnsList(f.dns);
    dhcp.domain = f.domain === '' ? null : f.domain;
    dhcp.forceFull = draft.mode === 'full' && f.forceFull;
  }
  return {
    interface: draft.interface,
    bootRoot: draft.bootRoot.trim() === '' ? null : draft.bootRoot.trim(),
    dhcp,
    tftp: { port: num(draft.ports.tftp) },
    http: { port: num(draft.ports.http) },
    syslog: { port: num(draft.ports.syslog) },
  };
}

function dnsList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
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
  /** The running services the save restarted so the new settings take effect (PUT /api/config says). */
  const [restarted, setRestarted] = useState<ServiceName[]>([]);

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
      setRestarted(res.restarted ?? []);
      setSaved(true);
    } catch (err) {
      const problem = toProblem(err);
      setSaveProblem(problem);
      setFieldErrors(fieldErrorsOf(problem, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  const dirty =
    draft && config.data
      ? JSON.stringify(patchFrom(draft)) !== JSON.stringify(patchFrom(draftFrom(config.data.profile)))
      : false;
  useUnsavedGuard(dirty, 'Settings');

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
              full={draft.full}
              onMode={(mode) => edit({ mode })}
              onFull={(full) => edit({ full })}
              errors={fieldErrors}
              iface={interfaces.find((i) => i.name === draft.interface)}
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
                  {restarted.length > 0 &&
                    ` ${restarted.map((s) => SERVICE_INFO[s].title).join(', ')} restarted with the new settings.`}
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
                  Saving restarts each running service whose settings changed, so they take effect at once; a
                  stopped service uses them when it starts.
                </p>
              </div>
            )}
          </aside>
        </div>
      )}
      {draft && <UiAddressCard />}
      {draft && <LibrarySettings />}
      {draft && <PeerdistSettings />}
      {draft && <DesktopSettings />}
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
  if (draft.mode === 'full' || draft.mode === 'auto') {
    const f = draft.full;
    if (f.start && !isIpv4(f.start)) errors['dhcp.pool.start'] = 'Enter an IPv4 address like 192.168.1.100.';
    if (f.end && !isIpv4(f.end)) errors['dhcp.pool.end'] = 'Enter an IPv4 address like 192.168.1.199.';
    if (Boolean(f.start) !== Boolean(f.end)) {
      errors[f.start ? 'dhcp.pool.end' : 'dhcp.pool.start'] =
        'Fill in both ends of the pool, or leave both empty for the default range.';
    }
    if (!/^\d+$/.test(f.leaseMinutes.trim()) || Number(f.leaseMinutes) < 1) {
      errors['dhcp.leaseSeconds'] = 'Enter the lease time in whole minutes (1 or more).';
    }
    if (f.router && !isIpv4(f.router))
      errors['dhcp.router'] = 'Enter the router’s IPv4 address, or leave it empty.';
    const badDns = dnsList(f.dns).filter((d) => !isIpv4(d));
    if (badDns.length > 0) {
      errors['dhcp.dns'] =
        `${badDns.join(', ')} ${badDns.length > 1 ? 'are not IPv4 addresses' : 'is not an IPv4 address'}: enter addresses like 1.1.1.1, separated by commas.`;
    }
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
