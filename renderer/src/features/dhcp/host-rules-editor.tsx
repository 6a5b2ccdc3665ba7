import { useState } from 'react';
import { isMac } from '../../../../services/shared/address.js';

/** One editable row: a MAC plus one or two more fields (reservation IP and name, or override file). */
export interface RuleField {
  key: string;
  label: string;
  placeholder: string;
  optional?: boolean;
}

export type Rule = Record<string, string>;


/** Checks a row before it is sent; the server validates again and its message is shown too. */
export function ruleProblem(rule: Rule, fields: readonly RuleField[]): string | undefined {
  if (!isMac(rule.mac)) return 'MAC must look like 52:54:00:12:34:56.';
  for (const f of fields) if (!f.optional && !(rule[f.key] ?? '').trim()) return `${f.label} is needed.`;
  return undefined;
}

/**
 * A small table editor for per-MAC rules (static reservations, first-stage overrides): add, change, remove,
 * then save all at once.
 */
export function HostRulesEditor({
  title,
  explain,
  fields,
  rules,
  onSave,
}: {
  title: string;
  explain: string;
  fields: readonly RuleField[];
  rules: Rule[];
  onSave: (rules: Rule[]) => Promise<void>;
}) {
  const [draft, setDraft] = useState<Rule[] | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const rows = draft ?? rules;
  const all: RuleField[] = [{ key: 'mac', label: 'MAC', placeholder: '52:54:00:12:34:56' }, ...fields];
  const edit = (i: number, key: string, value: string) =>
    setDraft(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));

  const save = async () => {
    const bad = rows.map((r) => ruleProblem(r, fields)).find(Boolean);
    if (bad) return setProblem(bad);
    try {
      await onSave(rows.map((r) => ({ ...r, mac: (r.mac ?? '').toLowerCase().replace(/-/g, ':') })));
      setDraft(undefined);
      setProblem(undefined);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="card" data-editor={title}>
      <h2>{title}</h2>
      <p className="muted">{explain}</p>
      <table className="table">
        <thead>
          <tr>
            {all.map((f) => (
              <th key={f.key}>{f.label}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((rule, i) => (
            <tr key={i}>
              {all.map((f) => (
                <td key={f.key}>
                  <input
                    className="input mono"
                    aria-label={f.label}
                    placeholder={f.placeholder}
                    value={rule[f.key] ?? ''}
                    onChange={(e) => edit(i, f.key, e.target.value)}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => setDraft(rows.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem && <div className="field-error">{problem}</div>}
      <div className="form-actions">
        <button type="button" className="button button-small" onClick={() => setDraft([...rows, {}])}>
          Add
        </button>
        {draft && (
          <>
            <button type="button" className="button button-primary button-small" onClick={() => void save()}>
              Save
            </button>
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => setDraft(undefined)}
            >
              Cancel
            </button>
          </>
        )}
      </div>
    </div>
  );
}
