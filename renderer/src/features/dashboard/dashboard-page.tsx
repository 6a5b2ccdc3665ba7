import { useState } from 'react';
import type { Profile, ServiceAction, ServiceName, ServiceState } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import { ServiceCard } from './service-card';
import { SERVICE_ORDER } from './service-info';
import { SetupSummary } from './setup-summary';
import { LiveStats } from './live-stats';
import { RescueCard } from '../library/rescue-card';

/** Every boot service with its live state, Start/Stop each or all, and the setup they run with. */
export function DashboardPage() {
  const { api, generation } = useApi();
  const status = useRequest(() => api.request('GET /api/status'), [api, generation]);
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const [busy, setBusy] = useState<Set<ServiceName | 'all'>>(new Set());
  const [problems, setProblems] = useState<Partial<Record<ServiceName | 'all', Problem>>>({});

  const services = status.data?.services ?? [];
  const byName = new Map(services.map((s) => [s.service, s]));

  // Responses and live events can cross; keep whichever state is newer (`since`).
  const applyStates = (states: ServiceState[]) => {
    status.setData((prev) => {
      if (!prev) return prev;
      const next = new Map(prev.services.map((s) => [s.service, s]));
      for (const s of states) {
        const current = next.get(s.service);
        if (!current || s.since >= current.since) next.set(s.service, s);
      }
      return { ...prev, services: [...next.values()] };
    });
  };

  // The runtime facts (server address, ports) change when services start or stop: refresh them quietly.
  const refreshRuntime = async () => {
    try {
      const fresh = await api.request('GET /api/status');
      status.setData((prev) =>
        prev ? { ...prev, runtime: fresh.runtime, interfaces: fresh.interfaces } : fresh,
      );
    } catch {
      // The connection light already tells the user when the host is gone.
    }
  };

  useLiveEvents(['service.state'], (event) => {
    applyStates([event.payload]);
    if (event.payload.state !== 'starting' && event.payload.state !== 'stopping') {
      void refreshRuntime();
      // A service (re)started by a settings change (e.g. One-click rescue) may run with a new profile.
      void config.reload();
    }
  });

  const run = async (key: ServiceName | 'all', work: () => Promise<ServiceState[]>) => {
    setBusy((b) => new Set(b).add(key));
    setProblems((p) => ({ ...p, [key]: undefined }));
    try {
      applyStates(await work());
    } catch (err) {
      setProblems((p) => ({ ...p, [key]: toProblem(err) }));
    } finally {
      setBusy((b) => {
        const n = new Set(b);
        n.delete(key);
        return n;
      });
    }
  };

  const act = (name: ServiceName, action: ServiceAction) =>
    run(name, async () => [
      (await api.request('POST /api/services/:name/:action', { params: { name, action } })).state,
    ]);
  const startAll = () => run('all', async () => (await api.request('POST /api/services/start-all')).services);
  const stopAll = () => run('all', async () => (await api.request('POST /api/services/stop-all')).services);

  const anyActive = services.some((s) => s.state === 'running' || s.state === 'starting');
  const profile: Profile | undefined = config.data?.profile;
  // Without an interface every service would fail the same way: one explanation, no Start buttons.
  const noInterface = profile !== undefined && !profile.interface;

  return (
    <Page
      title="Dashboard"
      intro="The boot services on this machine. Start them when the bench network is plugged in."
      actions={
        <>
          <button
            type="button"
            className="button button-primary"
            disabled={busy.has('all') || noInterface || !profile}
            aria-describedby={noInterface ? 'no-interface-note' : undefined}
            title={noInterface ? 'Choose a network interface in Settings first' : undefined}
            onClick={startAll}
          >
            Start all
          </button>
          <button type="button" className="button" disabled={busy.has('all') || !anyActive} onClick={stopAll}>
            Stop all
          </button>
        </>
      }
    >
      {status.problem && <ProblemBox title="Could not read the service states" problem={status.problem} />}
      {problems.all && <ProblemBox problem={problems.all} />}
      {status.data && profile && <SetupSummary status={status.data} profile={profile} />}
      <div className="service-grid">
        {SERVICE_ORDER.map((name) => {
          const state = byName.get(name);
          if (!state) return null;
          return (
            <ServiceCard
              key={name}
              state={state}
              busy={busy.has(name) || busy.has('all')}
              blocked={noInterface}
              profile={profile}
              actionProblem={problems[name]}
              note={
                name === 'dhcp' && profile?.dhcp.mode === 'off'
                  ? 'DHCP mode is “off” in Settings: another DHCP server must send clients here.'
                  : undefined
              }
              onAction={(action) => void act(name, action)}
            />
          );
        })}
      </div>
      {status.loading && !status.data && <div className="page-loading">Reading the service states…</div>}
      <RescueCard />
      <LiveStats />
    </Page>
  );
}
