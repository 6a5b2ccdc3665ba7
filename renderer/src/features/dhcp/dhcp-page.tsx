import { useRef } from 'react';
import type { DhcpOverview, Profile } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { useRequest } from '../../api/use-request';
import { LongText } from '../../components/long-text';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { ExternalConfigs } from './external-configs';
import { HostRulesEditor, type Rule } from './host-rules-editor';
import { SecureBootCard } from './secure-boot-card';

const SOURCE_WORDS = {
  'boot-root': 'boot folder',
  system: 'system iPXE (/usr/lib/ipxe)',
  missing: 'missing',
} as const;

/** Mode and probe result, first-stage files, live lease table, reservations, overrides, external settings. */
export function DhcpPage() {
  const { api, generation } = useApi();
  const overview = useRequest(() => api.request('GET /api/dhcp'), [api, generation]);
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const lastReload = useRef(0);

  // New leases arrive as events; reload the table at most once a second.
  useLiveEvents(['dhcp.ack', 'service.state'], () => {
    if (Date.now() - lastReload.current < 1000) return;
    lastReload.current = Date.now();
    void overview.reload();
  });

  const saveDhcp = async (patch: Partial<Profile['dhcp']>) => {
    await api.request('PUT /api/config', { body: { dhcp: patch } });
    await config.reload();
    await overview.reload();
  };

  const data: DhcpOverview | undefined = overview.data;
  const dhcp = config.data?.profile.dhcp;
  return (
    <Page
      title="DHCP"
      intro="Which machines got an address and a boot file from Bootlab, and how the DHCP server runs."
    >
      {overview.problem && <ProblemBox problem={overview.problem} />}
      {data && dhcp && (
        <>
          <ModeCard data={data} dhcp={dhcp} />
          <FirstStageCard data={data} />
          <LeasesCard data={data} />
          <HostRulesEditor
            title="Reservations"
            explain="In full mode these machines always get the same address."
            fieldPrefix="dhcp.reservations"
            itemLabel="Reservation"
            fields={[
              { key: 'ip', label: 'Address', placeholder: '10.77.0.50', check: ipv4Problem },
              { key: 'hostname', label: 'Name', placeholder: 'bench-pc-1', optional: true },
            ]}
            rules={dhcp.reservations.map((r) => ({ mac: r.mac, ip: r.ip, hostname: r.hostname ?? '' }))}
            onSave={(rules: Rule[]) =>
              saveDhcp({
                reservations: rules.map((r) => ({
                  mac: r.mac!,
                  ip: r.ip!,
                  ...(r.hostname ? { hostname: r.hostname } : {}),
                })),
              })
            }
          />
          <HostRulesEditor
            title="First-stage overrides"
            explain="Give one machine another first-stage file (e.g. undionly.kkpxe for a BIOS that cannot exit cleanly, or ipxe.pxe). It is handed out once; the iPXE it loads then gets the boot script, so it never loops."
            fieldPrefix="dhcp.overrides"
            itemLabel="Override"
            fields={[{ key: 'bootFile', label: 'File', placeholder: 'undionly.kkpxe' }]}
            rules={dhcp.overrides.map((o) => ({ mac: o.mac, bootFile: o.bootFile }))}
            onSave={(rules: Rule[]) =>
              saveDhcp({ overrides: rules.map((r) => ({ mac: r.mac!, bootFile: r.bootFile! })) })
            }
          />
          <SecureBootCard secureBoot={dhcp.secureBoot} save={(secureBoot) => saveDhcp({ secureBoot })} />
          <ExternalConfigs configs={data.external} address={data.bootlabAddress} />
        </>
      )}
    </Page>
  );
}

function ModeCard({ data, dhcp }: { data: DhcpOverview; dhcp: Profile['dhcp'] }) {
  const s = data.status;
  const pool = s?.pool ?? dhcp.pool;
  const others = s?.probe
    ? s.probe.servers.length === 0
      ? `none answered in ${s.probe.seconds} s`
      : s.probe.servers
          .map((p) => `${p.address}${p.proxy ? ' (proxy)' : p.offeredIp ? ` offered ${p.offeredIp}` : ''}`)
          .join(', ')
    : undefined;
  const drops = s?.stats
    ? Object.entries(s.stats.dropReasons)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')
    : '';
  return (
    <div className="card" data-dhcp-mode={s?.mode ?? 'stopped'}>
      <h2>Mode</h2>
      <dl className="facts">
        <dt>Set to</dt>
        <dd>{dhcp.mode}</dd>
        <dt>Running as</dt>
        <dd>{s ? `${s.mode}: ${s.reason}` : 'not running (start DHCP on the Dashboard)'}</dd>
        {others && (
          <>
            <dt>Other DHCP servers</dt>
            <dd>{others}</dd>
          </>
        )}
        <dt>Pool</dt>
        <dd className="mono">
          {pool ? `${pool.start} – ${pool.end}` : '.100 – .199 of the interface network'}
        </dd>
        {s?.stats && (
          <>
            <dt>Packets</dt>
            <dd>
              {s.stats.received} received, {s.stats.replied} answered, {s.stats.dropped} dropped
              {drops && ` (${drops})`}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function FirstStageCard({ data }: { data: DhcpOverview }) {
  const r = data.firstStage;
  return (
    <div className="card table-card">
      <h2>First-stage files</h2>
      {r.howToGet && (
        <ProblemBox
          problem={{ message: 'No iPXE first-stage file is available.', hint: r.howToGet, code: 'NO_IPXE' }}
        />
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Firmware</th>
            <th>File</th>
            <th>From</th>
            <th>Lacks</th>
          </tr>
        </thead>
        <tbody>
          {r.entries.map((e) => (
            <tr key={e.use} data-first-stage={e.use}>
              <td>{e.use}</td>
              <td className="mono">{e.file}</td>
              <td className={e.source === 'missing' ? 'cell-problem' : undefined} title={e.path}>
                {SOURCE_WORDS[e.source]}
                {e.note && <div className="muted small">{e.note}</div>}
              </td>
              <td>{e.lacks.length ? e.lacks.join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LeasesCard({ data }: { data: DhcpOverview }) {
  return (
    <div className="card table-card">
      <h2>Leases</h2>
      {data.leases.length === 0 ? (
        <p className="muted">
          No lease yet
          {data.status?.mode === 'proxy'
            ? ': in proxy mode the network’s own DHCP server hands out addresses'
            : ''}
          .
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>MAC</th>
              <th>Vendor</th>
              <th>Address</th>
              <th>Firmware</th>
              <th>Stage</th>
              <th>State</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {data.leases.map((l) => (
              <tr key={l.mac} data-lease={l.mac}>
                <td className="mono">
                  {l.mac}
                  {l.hostname && (
                    <div className="muted">
                      <LongText text={l.hostname} maxWidth="20ch" />
                    </div>
                  )}
                </td>
                <td>{l.vendor ?? '—'}</td>
                <td className="mono">{l.ip}</td>
                <td>{l.archName ?? '—'}</td>
                <td>{l.stage ?? '—'}</td>
                <td>{l.state}</td>
                <td>{new Date(l.lastSeen).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A dotted IPv4 address, each part 0-255 (the server checks the network too). */
function ipv4Problem(value: string): string | undefined {
  const parts = value.split('.');
  const ok = parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
  return ok ? undefined : `“${value}” is not an IPv4 address: enter four numbers like 10.77.0.50.`;
}
