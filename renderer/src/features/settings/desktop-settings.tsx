import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';

/**
 * The desktop app's switch for system notifications. It lives in the profile (desktop.notifications) like
 * every setting, so the browser UI shows and changes the same value the app's main process reads. Saved at
 * once when toggled (it touches no service, so it needs no Save button).
 */
export function DesktopSettings() {
  const { api, generation } = useApi();
  const config = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  // The box shows the new value while it is being saved; a refused save puts the stored one back.
  const [pending, setPending] = useState<boolean | undefined>(undefined);
  const on = pending ?? config.data?.profile.desktop?.notifications ?? true;

  const toggle = async (next: boolean) => {
    setSaving(true);
    setPending(next);
    setProblem(undefined);
    try {
      config.setData(await api.request('PUT /api/config', { body: { desktop: { notifications: next } } }));
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setPending(undefined);
      setSaving(false);
    }
  };

  return (
    <section className="card settings-desktop" aria-labelledby="desktop-settings-title">
      <h2 id="desktop-settings-title">Desktop app</h2>
      <label className="checkbox-line">
        <input
          type="checkbox"
          checked={on}
          disabled={saving || !config.data}
          onChange={(e) => void toggle(e.target.checked)}
        />{' '}
        Show system notifications
      </label>
      <p className="field-help">
        The Bootlab app tells you when a machine finishes booting or fails (with the reason), a build finishes
        or a download is verified. A boot wave gives one summary, not a notification per machine. Saved at
        once; a browser shows none.
      </p>
      {problem && <ProblemBox title="Not saved" problem={problem} />}
    </section>
  );
}
