import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { rememberToken } from '../../api/session-token';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';

/**
 * "This page's address": the stable URL (fixed port, token kept in the data folder) to bookmark or open in
 * another browser, why this launch is on another port when the default was taken, and a new token for when
 * the address was shared by mistake.
 */
export function UiAddressCard() {
  const { api } = useApi();
  const access = useRequest(() => api.request('GET /api/access'), [api]);
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const view = access.data;
  if (!view) return access.problem ? <ProblemBox problem={access.problem} /> : null;
  const hidden = view.url.replace(/#token=.*/, '#token=••••••••');

  const rotate = async () => {
    if (
      !window.confirm(
        'Make a new token? The current address stops working at once, in every browser and bookmark. This window switches to the new one.',
      )
    )
      return;
    setBusy(true);
    setProblem(undefined);
    try {
      const next = await api.request('POST /api/access/rotate-token');
      rememberToken(new URLSearchParams(next.url.split('#')[1] ?? '').get('token') ?? '');
      window.location.reload();
    } catch (err) {
      setProblem(toProblem(err));
      setBusy(false);
    }
  };

  return (
    <section className="card ui-address" aria-labelledby="ui-address-title">
      <h2 id="ui-address-title">This page’s address</h2>
      <p className="field-help">
        The same address works after Bootlab restarts: bookmark it, or open it in another browser on this
        computer. The token is kept in <code>{view.tokenFile ?? 'memory only'}</code> (readable only by you).
      </p>
      <div className="inline-fields">
        <input
          className="input input-wide mono"
          readOnly
          aria-label="Address of this page, with its token"
          value={shown ? view.url : hidden}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button" onClick={() => setShown(!shown)}>
          {shown ? 'Hide token' : 'Show token'}
        </button>
      </div>
      {view.fallbackReason && <p className="notice">{view.fallbackReason}</p>}
      {problem && <ProblemBox problem={problem} />}
      <div className="form-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void rotate()}>
          Make a new token…
        </button>
        <span className="muted small">Use this if the address was shared by mistake.</span>
      </div>
    </section>
  );
}
