import { useApi } from '../api/api-context';

/** Shows whether the live event feed (WebSocket) is up; pages are live only while it is. */
export function ConnectionIndicator() {
  const { connected } = useApi();
  return (
    <div
      className={`connection ${connected ? 'connection-up' : 'connection-down'}`}
      data-connected={connected}
      title={
        connected ? 'Live updates are flowing from the services host.' : 'Reconnecting to the services host…'
      }
    >
      <span className="connection-dot" aria-hidden="true" />
      {connected ? 'Live' : 'Disconnected'}
    </div>
  );
}
