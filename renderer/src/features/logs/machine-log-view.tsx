import { useEffect, useState } from 'react';
import type { MachineLogLine } from '../../../../services/api/contract.js';
import { useApi } from '../../api/api-context';
import { useEventStore } from '../../api/event-store';
import { clientsStore } from '../clients/clients-store';
import { sortedRows } from '../clients/clients-model';

/** The machine picker for the Logs page: every machine Bootlab knows, by name. */
export function MachinePicker({ value, onChange }: { value: string; onChange: (key: string) => void }) {
  const rows = sortedRows(useEventStore(clientsStore));
  return (
    <select className="input" aria-label="Machine" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All machines and Bootlab</option>
      {rows.map((r) => (
        <option key={r.key} value={r.key}>
          {r.hostname ? `${r.hostname} (${r.mac ?? r.ip})` : (r.mac ?? r.ip ?? r.key)}
        </option>
      ))}
    </select>
  );
}

/**
 * What one machine reported (syslog lines, downloads, DHCP, check-ins), newest last, re-read every 2 s.
 * `filter` narrows by text like the main log.
 */
export function MachineLogView({ machine, filter }: { machine: string; filter: string }) {
  const { api } = useApi();
  const [lines, setLines] = useState<MachineLogLine[]>([]);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api
        .request('GET /api/stats/machine-log', { query: { machine } })
        .then((r) => !stopped && (setLines(r.lines), setProblem(undefined)))
        .catch((err: unknown) => !stopped && setProblem(err instanceof Error ? err.message : String(err)));
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, machine]);
  const needle = filter.trim().toLowerCase();
  const shown = needle ? lines.filter((l) => l.text.toLowerCase().includes(needle)) : lines;
  if (problem) return <p className="problem-inline">Could not read this machine's log: {problem}</p>;
  if (shown.length === 0)
    return <p className="muted">This machine has reported nothing{needle ? ' that matches' : ''} yet.</p>;
  return (
    <table className="log-table" aria-label="Machine log">
      <tbody>
        {shown.map((l, i) => (
          <tr key={i} className={`log-${l.source}`}>
            <td className="log-time mono">{new Date(l.time).toLocaleTimeString()}</td>
            <td className="log-level">{l.source}</td>
            <td className="log-message">{l.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
