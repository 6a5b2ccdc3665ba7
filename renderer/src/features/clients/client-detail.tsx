import { useEffect, useState } from 'react';
import type { ClientDetail } from '../../../../services/api/contract.js';
import { useApi } from '../../api/api-context';
import { formatBytes } from '../../components/format';
import '../../styles/live-stats.css';
import { peerShare, stageWords } from './clients-model';

/**
 * One machine: its stages with times, the files it fetched (protocol, size, time, result, share from
 * peers), and its timeline with the raw lines behind each step. Re-read every 2 s while open (one request,
 * however busy the machine is).
 */
const STAGES = ['dhcp', 'first-stage', 'ipxe', 'script', 'menu', 'kernel', 'handed-over', 'failed'] as const;

export function ClientDetailView({ machineKey }: { machineKey: string }) {
  const { api } = useApi();
  const [detail, setDetail] = useState<ClientDetail>();
  const [problem, setProblem] = useState<string>();
  const [showRaw, setShowRaw] = useState(false);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      api
        .request('GET /api/clients/:key', { params: { key: machineKey } })
        .then((d) => {
          if (stopped) return;
          setDetail(d);
          setProblem(undefined);
        })
        .catch((err: unknown) => !stopped && setProblem(err instanceof Error ? err.message : String(err)));
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, machineKey]);

  if (problem) return <div className="card problem-inline">{problem}</div>;
  if (!detail) return <div className="page-loading">Reading this machine's history…</div>;
  const s = detail.session;
  const share = peerShare(s);
  return (
    <div className="client-detail" data-machine={s.key}>
      <p>
        <a href="#/clients">← All machines</a>
      </p>
      <div className="card">
        <h2>{s.hostname ?? s.mac ?? s.ip ?? s.key}</h2>
        <dl className="client-facts">
          <dt>MAC</dt>
          <dd className="mono">{s.mac ?? '—'}</dd>
          <dt>Address</dt>
          <dd className="mono">{s.ip ?? '—'}</dd>
          <dt>Make / model</dt>
          <dd>{[s.make, s.model].filter(Boolean).join(' ') || '—'}</dd>
          <dt>Serial</dt>
          <dd>{s.serial ?? '—'}</dd>
          <dt>Firmware</dt>
          <dd>{[s.firmware, s.buildarch].filter(Boolean).join(' ') || '—'}</dd>
          <dt>Stage</dt>
          <dd>
            <span className={`stage stage-${s.stage}`}>{stageWords(s.stage)}</span>
            {s.error && (
              <span className="cell-problem">
                {' '}
                {s.error}
                {s.errorLink && (
                  <>
                    {' '}
                    (
                    <a href={s.errorLink} target="_blank" rel="noreferrer">
                      iPXE's explanation
                    </a>
                    )
                  </>
                )}
              </span>
            )}
          </dd>
          <dt>From peers</dt>
          <dd>{share ?? '—'}</dd>
        </dl>
        <ol className="stage-times" aria-label="Stages">
          {STAGES.filter((st) => s.stageTimes?.[st]).map((st) => (
            <li key={st}>
              {stageWords(st)}: {new Date(s.stageTimes![st]!).toLocaleTimeString()}
            </li>
          ))}
        </ol>
      </div>
      <div className="card table-card">
        <h3>Files</h3>
        <table className="table" aria-label="Files">
          <thead>
            <tr>
              <th>Time</th>
              <th>Protocol</th>
              <th>File</th>
              <th>Size</th>
              <th>Took</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {detail.files.map((f, i) => (
              <tr key={i}>
                <td>{new Date(f.time).toLocaleTimeString()}</td>
                <td>{f.protocol.toUpperCase()}</td>
                <td className="mono">{f.name}</td>
                <td>{f.protocol === 'syslog' ? 'reported by iPXE' : formatBytes(f.bytes)}</td>
                <td>{f.durationMs !== undefined ? `${(f.durationMs / 1000).toFixed(1)} s` : '—'}</td>
                <td className={f.result === 'ok' ? undefined : 'cell-problem'}>
                  {f.result === 'ok' ? 'ok' : (f.error ?? f.result)}
                  {f.percentFromPeers !== undefined ? ` · ${f.percentFromPeers}% from peers` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h3>
          Timeline{' '}
          <label className="check">
            <input type="checkbox" checked={showRaw} onChange={(e) => setShowRaw(e.target.checked)} /> Raw
            lines
          </label>
        </h3>
        <table className="log-table" aria-label="Timeline">
          <tbody>
            {detail.timeline.map((e, i) => (
              <tr key={i} className={`timeline-${e.kind}`}>
                <td className="log-time mono">{new Date(e.time).toLocaleTimeString()}</td>
                <td className="log-source">{e.kind}</td>
                <td className="log-message">
                  {showRaw && e.raw ? <span className="mono">{e.raw}</span> : e.text}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
