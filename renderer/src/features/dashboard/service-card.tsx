import type { Profile, ServiceAction, ServiceState } from '../../../../services/api/contract.js';
import type { Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';
import { StateBadge } from '../../components/state-badge';
import { SERVICE_INFO, serviceRole } from './service-info';

interface Props {
  state: ServiceState;
  busy: boolean;
  actionProblem?: Problem;
  /** A sentence about this service's setting (e.g. DHCP switched off in Settings). */
  note?: string;
  onAction(action: ServiceAction): void;
  /** No interface chosen: Start is disabled (the page explains why once, above the cards). */
  blocked?: boolean;
  /** The saved settings: ports shown on the card, DHCP mode "off". */
  profile?: Profile;
}

/** One boot service: what it does, its state, where it listens, and Start/Stop. */
export function ServiceCard({ state, busy, actionProblem, note, onAction, blocked, profile }: Props) {
  const info = SERVICE_INFO[state.service];
  const active = state.state === 'running' || state.state === 'starting';
  const moving = state.state === 'starting' || state.state === 'stopping';
  // DHCP switched off in Settings is a choice, not a failure: the card says Off and offers no Start.
  const off = state.service === 'dhcp' && profile?.dhcp.mode === 'off';
  return (
    <article className={`card service-card service-${state.state}`} data-service={state.service}>
      <header className="service-head">
        <h2>{info.title}</h2>
        {off ? (
          <span className="badge badge-off" data-state="off">
            Off
          </span>
        ) : (
          <StateBadge state={state.state} />
        )}
      </header>
      <p className="muted service-role">{serviceRole(state.service, profile)}</p>
      {note && <p className="service-note">{note}</p>}
      <dl className="facts">
        <dt>Listening on</dt>
        <dd className="mono">
          {state.listening && state.listening.length > 0 ? state.listening.join(', ') : '—'}
        </dd>
        {state.summary && (
          <>
            <dt>Now</dt>
            <dd>{state.summary}</dd>
          </>
        )}
        <dt>Since</dt>
        <dd>{formatSince(state.since)}</dd>
      </dl>
      {!off && state.state === 'failed' && state.error && (
        <ProblemBox title={`${info.title} could not start`} problem={state.error} />
      )}
      {actionProblem && <ProblemBox problem={actionProblem} />}
      <footer className="service-actions">
        {off && !active ? null : active ? (
          <button type="button" className="button" disabled={busy || moving} onClick={() => onAction('stop')}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || moving || blocked}
            aria-describedby={blocked ? 'no-interface-note' : undefined}
            onClick={() => onAction('start')}
          >
            {state.state === 'failed' ? 'Try again' : 'Start'}
          </button>
        )}
        {state.state === 'running' && (
          <button
            type="button"
            className="button button-quiet"
            disabled={busy}
            onClick={() => onAction('restart')}
          >
            Restart
          </button>
        )}
      </footer>
    </article>
  );
}

function formatSince(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString();
}
