import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../../styles/live-stats.css';
import type { StatsSummary, ThroughputSeries } from '../../../../services/api/contract.js';
import { useApi } from '../../api/api-context';
import { formatBytes, formatRate } from '../../components/format';

/**
 * What a technician watches during a boot wave: machines booting now, booted today, failed (reason and
 * the ipxe.org page one click away), bytes served, current throughput, and a throughput chart (uPlot) of
 * the last five minutes, total and the busiest machines. Polled every 2 s: one request pair however
 * many machines boot, so 200 machines stay smooth (the summary is computed on the server).
 */
const POLL_MS = 2000;

export function LiveStats() {
  const { api } = useApi();
  const [summary, setSummary] = useState<StatsSummary>();
  const [series, setSeries] = useState<ThroughputSeries>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      try {
        const [s, t] = await Promise.all([
          api.request('GET /api/stats/summary'),
          api.request('GET /api/stats/throughput', { query: { seconds: '300' } }),
        ]);
        if (stopped) return;
        setSummary(s);
        setSeries(t);
        setProblem(undefined);
      } catch (err) {
        if (!stopped) setProblem(err instanceof Error ? err.message : String(err));
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  return (
    <section className="live-stats" aria-label="Live statistics">
      <h2>Machines</h2>
      {problem && <p className="problem-inline">Live statistics are not available: {problem}</p>}
      <div className="live-stats-tiles">
        <Tile label="Booting now" value={summary ? String(summary.bootingNow) : '…'} />
        <Tile label="Booted today" value={summary ? String(summary.bootedToday) : '…'} />
        <Tile label="Failed" value={summary ? String(summary.failed.length) : '…'} />
        <Tile label="Bytes served" value={summary ? formatBytes(summary.bytesServed) : '…'} />
        <Tile label="Throughput now" value={summary ? formatRate(summary.throughputBps) : '…'} />
      </div>
      {summary && summary.failed.length > 0 && (
        <details className="live-stats-failed">
          <summary>Why machines failed ({summary.failed.length})</summary>
          <ul>
            {summary.failed.map((f) => (
              <li key={f.key}>
                <a href={`#/clients/${encodeURIComponent(f.key)}`}>{f.name}</a>: {f.error}
                {f.errorLink && (
                  <>
                    {' '}
                    (
                    <a href={f.errorLink} target="_blank" rel="noreferrer">
                      what this error means
                    </a>
                    )
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      {series && <ThroughputChart series={series} />}
    </section>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="live-stats-tile">
      <div className="live-stats-value">{value}</div>
      <div className="live-stats-label">{label}</div>
    </div>
  );
}

const COLORS = [
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#65a30d',
  '#db2777',
  '#4b5563',
];

function ThroughputChart({ series }: { series: ThroughputSeries }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.machines.map((m) => m.key).join('|');

  useEffect(() => {
    if (!box.current) return;
    const opts: uPlot.Options = {
      width: Math.max(320, box.current.clientWidth || 640),
      height: 180,
      axes: [{}, { values: (_u, ticks) => ticks.map((v) => formatRate(v)), size: 80 }],
      series: [
        {},
        { label: 'Total', stroke: COLORS[0], width: 2 },
        ...series.machines.map((m, i) => ({
          label: m.key,
          stroke: COLORS[(i + 1) % COLORS.length],
          width: 1,
        })),
      ],
    };
    plot.current = new uPlot(opts, toData(series), box.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of machines changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(toData(series));
  }, [series]);

  return <div className="live-stats-chart" ref={box} aria-label="Throughput over the last five minutes" />;
}

function toData(s: ThroughputSeries): uPlot.AlignedData {
  return [s.times, s.total, ...s.machines.map((m) => m.values)];
}
