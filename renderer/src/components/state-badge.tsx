import type { ServiceState } from '../../../services/api/contract.js';

const LABELS: Record<ServiceState['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  failed: 'Failed',
};

/** A coloured pill for a service state; `data-state` lets tests and styles read the raw value. */
export function StateBadge({ state }: { state: ServiceState['state'] }) {
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {LABELS[state]}
    </span>
  );
}
