import { useState } from 'react';
import type { BootMethod } from '../../../../services/api/contract.js';
import { useApi, useLiveEvents } from '../../api/api-context';
import { toProblem, useRequest, type Problem } from '../../api/use-request';
import { ProblemBox } from '../../components/problem-box';
import { METHOD_WORDS } from './library-words';

/**
 * The ISO library as the menu editor shows it: every ISO in the library folder gets its own submenu
 * (added when the menu is served, never saved into it), with the boot method in use, why, and a choice
 * of the others. Changes apply to the next machine that boots.
 */
export function MenuLibraryCard() {
  const { api, generation } = useApi();
  const library = useRequest(() => api.request('GET /api/library'), [api, generation]);
  const [problem, setProblem] = useState<Problem | undefined>();
  useLiveEvents(['library.changed'], () => void library.reload());
  const isos = (library.data?.isos ?? []).filter((i) => i.state === 'ready' && i.inspection);

  const choose = async (file: string, method: BootMethod, recommended: BootMethod) => {
    setProblem(undefined);
    try {
      await api.request('PUT /api/library/method', {
        body: { file, method: method === recommended ? null : method },
      });
      await library.reload();
    } catch (err) {
      setProblem(toProblem(err));
    }
  };

  return (
    <div className="card" data-testid="menu-library">
      <h2>ISO library</h2>
      <p className="muted small">
        ISO files in <span className="mono">{library.data?.folder ?? 'isos'}/</span> of the boot folder appear
        in the start menu, each in its own submenu, without editing. Manage them on the Library page.
      </p>
      {problem && <ProblemBox problem={problem} />}
      {isos.length === 0 && <div className="empty">No ISO in the library yet.</div>}
      {isos.map((iso) => {
        const plans = iso.inspection!.plans;
        const plan = plans.find((p) => p.method === iso.method);
        return (
          <div key={iso.file} className="field" data-menu-iso={iso.file}>
            <span>
              {iso.name} <span className="muted small mono">{iso.file}</span> · {iso.inspection!.familyLabel}
            </span>
            <select
              className="input"
              aria-label={`Boot method for ${iso.file}`}
              value={iso.method}
              onChange={(e) => void choose(iso.file, e.target.value as BootMethod, plans[0]!.method)}
            >
              {plans.map((p, i) => (
                <option key={p.method} value={p.method}>
                  {METHOD_WORDS[p.method]}
                  {i === 0 ? ' (recommended)' : ''}
                </option>
              ))}
            </select>
            {plan && <span className="field-help">{plan.reason}</span>}
          </div>
        );
      })}
    </div>
  );
}
