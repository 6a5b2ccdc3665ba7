import { BootlabError } from '../../shared/errors.js';
import type { Runtime } from '../../core/runtime.js';
import type { ClientSessions } from '../../stats/sessions.js';
import type { ThroughputMeter } from '../../stats/throughput.js';
import type { MachineLog } from '../../stats/machine-log.js';
import { machineName, sessionsToCsv, type StatsSummary } from '../../stats/views.js';
import type { ApiRouter } from '../router.js';

export interface StatsRouteDeps {
  sessions: ClientSessions;
  throughput: ThroughputMeter;
  machineLog: MachineLog;
  runtime: Runtime;
}

const RECENT_MS = 10 * 60 * 1000;

/** Dashboard widgets, Clients detail, Logs by machine, sessions export (services/stats). */
export function registerStatsRoutes(router: ApiRouter, deps: StatsRouteDeps): void {
  const { sessions } = deps;
  router.add('GET /api/clients/page', ({ query }) => ({
    clients: sessions.list(query.limit, query.offset),
    total: sessions.count(),
  }));
  router.add('GET /api/clients/:key', ({ params }) => {
    const session = sessions.get(params.key!);
    if (!session)
      throw new BootlabError(
        'NOT_FOUND',
        `No machine "${params.key}" has been seen.`,
        'Pick a machine from the Clients page; old sessions are removed after the retention limit.',
      );
    return { session, timeline: sessions.timeline(session.key), files: sessions.files(session.key) };
  });
  router.add('GET /api/stats/summary', (): StatsSummary => {
    const now = Date.now();
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    const recent = sessions.list(2000);
    let bootingNow = 0;
    let bootedToday = 0;
    const failed: StatsSummary['failed'] = [];
    for (const s of recent) {
      const seen = Date.parse(s.lastSeen);
      if (s.stage === 'failed') {
        if (failed.length < 50)
          failed.push({
            key: s.key,
            name: machineName(s),
            error: s.error ?? 'failed',
            ...(s.errorLink ? { errorLink: s.errorLink } : {}),
            time: s.stageTimes?.failed ?? s.lastSeen,
          });
      } else if (s.stage === 'handed-over') {
        const at = Date.parse(s.stageTimes?.['handed-over'] ?? s.lastSeen);
        if (at >= midnight.getTime()) bootedToday++;
      } else if (now - seen < RECENT_MS) bootingNow++;
    }
    return {
      bootingNow,
      bootedToday,
      failed,
      bytesServed: deps.throughput.bytesServed,
      throughputBps: deps.throughput.rate(),
      storedSessions: sessions.count(),
      syslog: deps.runtime.syslogStats?.() ?? null,
    };
  });
  router.add('GET /api/stats/throughput', ({ query }) => deps.throughput.series(query.seconds));
  router.add('GET /api/stats/machine-log', ({ query }) => ({
    lines: deps.machineLog.lines(query.machine, query.limit),
  }));
  router.add('GET /api/stats/export', ({ query }) => {
    const all = sessions.list(100_000);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return query.format === 'json'
      ? {
          filename: `bootlab-sessions-${stamp}.json`,
          contentType: 'application/json',
          text: JSON.stringify(all, null, 1),
        }
      : { filename: `bootlab-sessions-${stamp}.csv`, contentType: 'text/csv', text: sessionsToCsv(all) };
  });
}
