import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { useEventStore } from '../../api/event-store';
import { LongText } from '../../components/long-text';
import { Page } from '../../components/page';
import { formatBytes, formatRate } from '../../components/format';
import { snapshotEvents, sortedRows, type ClientRow } from './clients-model';
import { clientsStore } from './clients-store';
import { ClientDetailView } from './client-detail';

/** "#/clients/<key>" opens one machine's detail. */
function machineFromHash(): string | undefined {
  const m = /^#\/clients\/(.+)$/.exec(window.location.hash);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/**
 * Machines seen since the app opened, built live from DHCP, TFTP, HTTP and syslog events.
 */
export function ClientsPage() {
  const state = useEventStore(clientsStore);
  const { api, generation } = useApi();
  // The server keeps every session; load them (again after a reconnect), then live events keep them fresh.
  useEffect(() => {
    let alive = true;
    api
      .request('GET /api/clients')
      .then(({ clients }) => alive && clientsStore.apply(snapshotEvents(clients)))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [api, generation]);
  const rows = sortedRows(state);
  const [machine, setMachine] = useState(machineFromHash);
  useEffect(() => {
    const onChange = () => setMachine(machineFromHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  if (machine)
    return (
      <Page
        title="Machine"
        intro="Everything this machine did, step by step, with the raw lines behind each step."
      >
        <ClientDetailView machineKey={machine} />
      </Page>
    );
  return (
    <Page
      title="Clients"
      intro="Machines that asked Bootlab for something: which firmware, how far they got, what they are downloading."
      actions={
        <>
          <ExportButton format="csv" />
          <ExportButton format="json" />
          <button
            type="button"
            className="button button-quiet"
            disabled={rows.length === 0}
            onClick={() => clientsStore.reset()}
          >
            Clear list
          </button>
        </>
      }
    >
      {rows.length === 0 ? (
        <div className="card empty">
          <p>No machine has asked yet.</p>
          <p className="muted">
            Start the boot services on the Dashboard, then network-boot a machine (often F12 or “Network boot”
            in its boot menu). It shows up here as soon as it sends its first DHCP request.
          </p>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Machine</th>
                <th>Address</th>
                <th>Make / model</th>
                <th>Firmware</th>
                <th>Stage</th>
                <th>Download</th>
                <th>From peers</th>
                <th>Last message</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <ClientLine key={row.key} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function ClientLine({ row }: { row: ClientRow }) {
  const t = row.transfer;
  const pct = t && t.total ? Math.min(100, Math.round((t.bytes / t.total) * 100)) : undefined;
  return (
    <tr data-client={row.key}>
      <td className="mono">
        <a href={`#/clients/${encodeURIComponent(row.key)}`}>{row.mac ?? row.ip ?? row.key}</a>
        {row.hostname && (
          <div className="muted">
            <LongText text={row.hostname} maxWidth="20ch" />
          </div>
        )}
      </td>
      <td className="mono">{row.ip ?? '—'}</td>
      <td>{row.makeModel ?? '—'}</td>
      <td>{row.firmware ?? '—'}</td>
      <td>
        <span className={`stage stage-${row.stage.replace(' ', '-')}`}>{row.stage}</span>
      </td>
      <td>
        {t ? (
          <div className="transfer">
            <div className="mono transfer-file" title={t.file}>
              {t.protocol.toUpperCase()} {t.file}
            </div>
            {pct !== undefined && !t.done && (
              <div className="progress" aria-label={`${pct}%`}>
                <div className="progress-bar" style={{ width: `${pct}%` }} />
              </div>
            )}
            <div className="muted">
              {formatBytes(t.bytes)}
              {t.total ? ` of ${formatBytes(t.total)}` : ''}
              {t.done ? ' · done' : ` · ${formatRate(t.bytesPerSecond)}`}
            </div>
          </div>
        ) : (
          '—'
        )}
      </td>
      <td>{row.fromPeers ?? '—'}</td>
      <td className={row.problem ? 'cell-problem' : undefined}>
        {row.problem || row.lastLine ? (
          <LongText text={(row.problem ?? row.lastLine)!} maxWidth="40ch" />
        ) : (
          '—'
        )}
      </td>
      <td>{new Date(row.lastSeen).toLocaleTimeString()}</td>
    </tr>
  );
}

/** Downloads every stored session (GET /api/stats/export) as a CSV or JSON file. */
function ExportButton({ format }: { format: 'csv' | 'json' }) {
  const { api } = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const file = await api.request('GET /api/stats/export', { query: { format } });
      const url = URL.createObjectURL(new Blob([file.text], { type: file.contentType }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={busy}
      title={
        problem
          ? `The export failed: ${problem}`
          : 'Every stored machine, with stage, make/model and peer share'
      }
      onClick={() => void run()}
    >
      Export {format.toUpperCase()}
    </button>
  );
}
