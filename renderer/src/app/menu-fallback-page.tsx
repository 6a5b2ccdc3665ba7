import { useApi } from '../api/api-context';
import { useRequest } from '../api/use-request';
import { Page } from '../components/page';
import { ProblemBox } from '../components/problem-box';

/** Shown when this build has no menu editor: the stored menu, read-only, so nothing is hidden. */
export function MenuFallbackPage() {
  const { api, generation } = useApi();
  const { data, problem } = useRequest(() => api.request('GET /api/config'), [api, generation]);
  const menu = data?.profile.menu;
  return (
    <Page
      title="Boot menu"
      intro="The menu every client sees after iPXE starts. This build has no menu editor; the stored menu is shown as it is."
    >
      {problem && <ProblemBox problem={problem} />}
      <div className="card">
        <h2>Stored menu</h2>
        {menu === undefined ? (
          <p className="muted">No menu is stored in this profile yet.</p>
        ) : (
          <pre className="code-block">{JSON.stringify(menu, null, 2)}</pre>
        )}
      </div>
    </Page>
  );
}
