import { useState } from 'react';
import { isMac } from '../../../../services/shared/address.js';
import { ApiRequestError } from '../../api/client';
import { useUnsavedGuard } from '../../app/unsaved-guard';

/** One editable row: a MAC plus one or two more fields (reservation IP and name, or override file). */
export interface RuleField {
  key: string;
  label: string;
  placeholder: string;
  optional?: boolean;
  /** Extra local check (e.g. an IPv4 address); returns a sentence saying what to enter. */
  check?: (value: string) => string | undefined;
}

export type Rule = Record<string, string>;

/** Checks a row before it is sent; the server validates again and its message is shown too. */
export function ruleProblem(rule: Rule, fields: readonly RuleField[]): string | undefined {
  return Object.values(ruleProblems(rule, fields))[0];
}

/** Every problem of one row, by field key, in plain words (shown beside each input at once). */
export function ruleProblems(rule: Rule, fields: readonly RuleField[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMac(rule.mac)) out.mac = 'Enter a MAC address like 52:54:00:12:34:56.';
  for (const f of fields) {
    const value = (rule[f.key] ?? '').trim();
    if (!value) {
      if (!f.optional) out[f.key] = `Enter the ${f.label.toLowerCase()}.`;
      continue;
    }
    const bad = f.check?.(value);
    if (bad) out[f.key] = bad;
  }
  return out;
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
  fieldPrefix,
  itemLabel,
}: {
  title: string;
  explain: string;
  fields: readonly RuleField[];
  rules: Rule[];
  onSave: (rules: Rule[]) => Promise<void>;
  /** Where these rows live in the profile ("dhcp.reservations"): server field problems map back by it. */
  fieldPrefix: string;
  /** One row in words ("Reservation"), for messages and labels. */
  itemLabel: string;
}) {
  const [draft, setDraft] = useState<Rule[] | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});
  useUnsavedGuard(draft !== undefined, `${title}: unsaved changes`);
  const rows = draft ?? rules;
  const all: RuleField[] = [{ key: 'mac', label: 'MAC', placeholder: '52:54:00:12:34:56' }, ...fields];
  const edit = (i: number, key: string, value: string) =>
    setDraft(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));

  const save = async () => {
    const local: Record<string, string> = {};
    rows.forEach((r, i) => {
      for (const [key, text] of Object.entries(ruleProblems(r, fields))) local[`${i}.${key}`] = text;
    });
    setCellErrors(local);
    if (Object.keys(local).length > 0) {
      const n = new Set(Object.keys(local).map((k) => k.split('.')[0])).size;
      return setProblem(
        `${n === 1 ? 'One row needs' : `${n} rows need`} attention: see the notes in the table.`,
      );
    }
    try {
      await onSave(rows.map((r) => ({ ...r, mac: (r.mac ?? '').toLowerCase().replace(/-/g, ':') })));
      setDraft(undefined);
      setProblem(undefined);
    } catch (err) {
      // The server's field problems ("dhcp.reservations.1.ip") go beside their cells, all at once.
      const cells: Record<string, string> = {};
      const rest: string[] = [];
      for (const f of err instanceof ApiRequestError ? err.fields : []) {
        const m = new RegExp(`^${fieldPrefix.replace(/\./g, '\\.')}\\.(\\d+)\\.(\\w+)`).exec(f.field);
        const text = f.hint ? `${f.message} ${f.hint}` : f.message;
        if (m && all.some((a) => a.key === m[2])) cells[`${m[1]}.${m[2]}`] = text;
        else rest.push(text);
      }
      setCellErrors(cells);
      if (Object.keys(cells).length > 0) {
        setProblem(['Not saved: see the notes in the table.', ...rest].join(' '));
      } else {
        const hint = err instanceof ApiRequestError && err.hint ? ` ${err.hint}` : '';
        setProblem(`Not saved. ${err instanceof Error ? err.message : String(err)}${hint}`);
      }
    }
  };

  return (
    <div className="card" data-editor={title}>
      <h2>{title}</h2>
      <p className="muted">{explain}</p>
      <div className="table-scroll">
        <table className="table table-fit">
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
                {all.map((f) => {
                  const error = cellErrors[`${i}.${f.key}`];
                  const errorId = `${fieldPrefix}-${i}-${f.key}-error`;
                  return (
                    <td key={f.key} data-field={`${fieldPrefix}.${i}.${f.key}`}>
                      <input
                        className={error ? 'input mono input-bad' : 'input mono'}
                        aria-label={`${itemLabel} ${i + 1}, ${f.label}`}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? errorId : undefined}
                        placeholder={f.placeholder}
                        value={rule[f.key] ?? ''}
                        onChange={(e) => edit(i, f.key, e.target.value)}
                      />
                      {error && (
                        <span className="field-error" id={errorId}>
                          {error}
                        </span>
                      )}
                    </td>
                  );
                })}
                <td>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}
                    onClick={() => setDraft(rows.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problem && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
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
              onClick={() => {
                setDraft(undefined);
                setCellErrors({});
                setProblem(undefined);
              }}
            >
              Cancel
            </button>
          </>
        )}
      </div>
    </div>
  );
}
