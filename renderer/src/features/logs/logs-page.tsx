import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogEntry } from '../../../../services/api/contract.js';
import { useApi } from '../../api/api-context';
import { useEventStore } from '../../api/event-store';
import { useRequest } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { mergeLogs } from './log-model';
import { liveLogStore } from './log-store';
import { MachineLogView, MachinePicker } from './machine-log-view';

type Level = LogEntry['level'];
const LEVEL_RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Bootlab's own log and the lines clients send by syslog, live, with a level and text filter. */
export function LogsPage() {
  const { api, generation } = useApi();
  const history = useRequest(() => api.request('GET /api/logs'), [api, generation]);
  const live = useEventStore(liveLogStore);
  const [minLevel, setMinLevel] = useState<Level>('info');
  const [filter, setFilter] = useState('');
  const [machine, setMachine] = useState('');
  const [follow, setFollow] = useState(true);
  const bottom = useRef<HTMLDivElement>(null);

  const entries = useMemo(() => {
    const all = mergeLogs(history.data?.entries ?? [], live);
    const needle = filter.trim().toLowerCase();
    return all.filter(
      (e) =>
        LEVEL_RANK[e.level] >= LEVEL_RANK[minLevel] &&
        (!needle || e.message.toLowerCase().includes(needle) || e.source.toLowerCase().includes(needle)),
    );
  }, [history.data, live, minLevel, filter]);

  useEffect(() => {
    if (follow) bottom.current?.scrollIntoView({ block: 'end' });
  }, [entries, follow]);

  return (
    <Page
      title="Logs"
      intro="What Bootlab did and what the booting machines reported (iPXE sends its messages by syslog)."
      actions={
        <>
          <input
            className="input"
            placeholder="Filter (text, client address)"
            aria-label="Filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <MachinePicker value={machine} onChange={setMachine} />
          <select
            className="input"
            aria-label="Level"
            value={minLevel}
            onChange={(e) => setMinLevel(e.target.value as Level)}
          >
            <option value="debug">All, with details</option>
            <option value="info">Info and above</option>
            <option value="warn">Warnings and errors</option>
            <option value="error">Errors only</option>
          </select>
          <label className="check">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
          </label>
        </>
      }
    >
      {history.problem && <ProblemBox problem={history.problem} />}
      <div className="card log-card">
        {machine ? (
          <MachineLogView machine={machine} filter={filter} />
        ) : entries.length === 0 ? (
          <p className="muted">
            No log lines{filter || minLevel !== 'debug' ? ' match the filter' : ''} yet.
          </p>
        ) : (
          <table className="log-table">
            <tbody>
              {entries.map((e, i) => (
                <tr key={i} className={`log-${e.level}`}>
                  <td className="log-time mono">{new Date(e.time).toLocaleTimeString()}</td>
                  <td className="log-level">{e.level}</td>
                  <td className="log-source">{e.source}</td>
                  <td className="log-message">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div ref={bottom} />
      </div>
    </Page>
  );
}
