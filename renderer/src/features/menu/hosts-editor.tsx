import type { HostAssignment, MenuConfig, MenuIssue } from '../../../../services/api/contract-menu';

type Action = HostAssignment['action'];

/**
 * Per-host assignments by MAC: another menu, always one entry, or one entry on the next boot only (then
 * the menu again, or the local disk). A next-boot assignment disappears (or turns into "local disk") once
 * the machine has used it.
 */
export function HostsEditor({
  config,
  issues,
  onChange,
}: {
  config: MenuConfig;
  issues: MenuIssue[];
  onChange: (hosts: HostAssignment[]) => void;
}) {
  const entries = config.menus.flatMap((m) =>
    m.entries.filter((e) => e.kind !== 'separator' && e.kind !== 'header'),
  );
  const hosts = config.hosts;
  const set = (i: number, h: HostAssignment): void => onChange(hosts.map((x, j) => (j === i ? h : x)));
  const actionFor = (type: Action['type'], old: Action): Action => {
    const entry = 'entry' in old ? old.entry : (entries[0]?.id ?? 'local');
    if (type === 'menu') return { type, menu: config.menus[0]?.id ?? config.root };
    if (type === 'entry') return { type, entry };
    return { type, entry, then: 'menu' };
  };
  return (
    <div className="card" data-testid="hosts-editor">
      <h2>Per-machine assignments</h2>
      <p className="field-help">By MAC address. A machine not listed here gets the start menu.</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Per-machine assignments">
        <table className="menu-hosts">
          <thead>
            <tr>
              <th>MAC</th>
              <th>Note</th>
              <th>Gets</th>
              <th>Which</th>
              <th>Afterwards</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hosts.map((h, i) => {
              const mine = issues.filter((x) => x.mac === h.mac);
              return (
                <tr key={i}>
                  <td>
                    <input
                      className="input mono"
                      aria-label={`Machine ${i + 1}, MAC`}
                      value={h.mac}
                      onChange={(e) => set(i, { ...h, mac: e.target.value })}
                    />
                    {mine.map((x, n) => (
                      <span key={n} className="field-error">
                        {x.message}
                      </span>
                    ))}
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label={`Machine ${i + 1}, note`}
                      value={h.note ?? ''}
                      onChange={(e) => set(i, { ...h, note: e.target.value || undefined })}
                    />
                  </td>
                  <td>
                    <select
                      className="input"
                      aria-label={`Machine ${i + 1}, gets`}
                      value={h.action.type}
                      onChange={(e) =>
                        set(i, { ...h, action: actionFor(e.target.value as Action['type'], h.action) })
                      }
                    >
                      <option value="menu">another menu</option>
                      <option value="entry">always one entry</option>
                      <option value="next-boot">next boot only</option>
                    </select>
                  </td>
                  <td>
                    {h.action.type === 'menu' ? (
                      <select
                        className="input"
                        aria-label={`Machine ${i + 1}, which menu`}
                        value={h.action.menu}
                        onChange={(e) => set(i, { ...h, action: { type: 'menu', menu: e.target.value } })}
                      >
                        {config.menus.map((m) => (
                          <option key={m.id} value={m.id}>
                            {m.title}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <select
                        className="input"
                        aria-label={`Machine ${i + 1}, which entry`}
                        value={h.action.entry}
                        onChange={(e) =>
                          set(i, {
                            ...h,
                            action: {
                              ...(h.action as Exclude<Action, { type: 'menu' }>),
                              entry: e.target.value,
                            },
                          })
                        }
                      >
                        {entries.map((e) => (
                          <option key={e.id} value={e.id}>
                            {(e as { label?: string }).label ?? e.id}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>
                    {h.action.type === 'next-boot' ? (
                      <select
                        className="input"
                        aria-label={`Machine ${i + 1}, afterwards`}
                        value={h.action.then}
                        onChange={(e) =>
                          set(i, {
                            ...h,
                            action: {
                              ...(h.action as Extract<Action, { type: 'next-boot' }>),
                              then: e.target.value as 'menu' | 'local',
                            },
                          })
                        }
                      >
                        <option value="menu">back to the menu</option>
                        <option value="local">local disk from then on</option>
                      </select>
                    ) : (
                      <span className="muted small">—</span>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      aria-label={`Remove machine ${i + 1}`}
                      onClick={() => onChange(hosts.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          onChange([
            ...hosts,
            {
              mac: '52:54:00:00:00:00',
              action: { type: 'next-boot', entry: entries[0]?.id ?? 'local', then: 'menu' },
            },
          ])
        }
      >
        Add machine
      </button>
    </div>
  );
}
