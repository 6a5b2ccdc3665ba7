/** Opened without the per-launch token: say where to find the right address. */
export function NoTokenPage() {
  return (
    <div className="no-token">
      <div className="card">
        <h1>Open Bootlab from its own link</h1>
        <p>
          This page needs the address Bootlab printed when it started. It is on the line that starts with
          <code> Bootlab ready: </code> and ends with <code>#token=…</code>.
        </p>
        <p className="muted">
          The token changes every time Bootlab starts, so an old bookmark no longer works. Copy the new link
          from the terminal where <code>bootlab serve</code> runs, or use the Bootlab app.
        </p>
      </div>
    </div>
  );
}
