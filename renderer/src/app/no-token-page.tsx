/** Opened without a token (or with one Bootlab refused): say where to find the right address. */
export function NoTokenPage({ refused = false }: { refused?: boolean }) {
  return (
    <main className="no-token">
      <div className="card">
        <h1>{refused ? 'This link is no longer valid' : 'Open Bootlab from its own link'}</h1>
        {refused && (
          <p>
            Someone made a new token in Settings, so the address this page was opened with stopped working.
          </p>
        )}
        <p>
          Open the address Bootlab printed when it started: the line that starts with
          <code> Bootlab ready: </code> and ends with <code>#token=…</code>. Settings → “This page’s address”
          shows it too.
        </p>
        <p className="muted">
          The address stays the same from one launch to the next, so once opened in this browser, a bookmark
          of it keeps working until a new token is made.
        </p>
      </div>
    </main>
  );
}
