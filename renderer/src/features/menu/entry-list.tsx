import { useState } from 'react';
import type { Menu, MenuIssue } from '../../../../services/api/contract-menu';
import { KIND_LABELS } from './menu-edit';
import { fieldWords } from './field-words';

/**
 * The entries of one menu in order: drag a row to move it (HTML drag and drop), or use the ▲ ▼ buttons
 * (keyboard and touch). Each row shows its issues count; the selected row's form opens beside the list.
 */
export function EntryList({
  menu,
  selected,
  issues,
  onSelect,
  onMove,
  onDuplicate,
  onDelete,
  onMakeDefault,
}: {
  menu: Menu;
  selected: number | undefined;
  issues: MenuIssue[];
  onSelect: (index: number) => void;
  onMove: (from: number, to: number) => void;
  onDuplicate: (index: number) => void;
  onDelete: (index: number) => void;
  onMakeDefault: (index: number) => void;
}) {
  const [dragFrom, setDragFrom] = useState<number | undefined>();
  const [dragOver, setDragOver] = useState<number | undefined>();
  const last = menu.entries.length - 1;
  return (
    <ol className="menu-entry-list" data-testid="entry-list">
      {menu.entries.map((e, i) => {
        const mine = issues.filter((x) => x.entryId === e.id);
        const errors = mine.filter((x) => x.severity === 'error');
        const warnings = mine.filter((x) => x.severity === 'warning');
        const label = e.kind === 'separator' ? '───────' : e.label;
        const cls = [
          'menu-entry-row',
          i === selected ? 'selected' : '',
          dragOver === i ? 'drag-over' : '',
          e.kind === 'header' ? 'header' : '',
        ].join(' ');
        return (
          <li
            key={`${e.id}-${i}`}
            className={cls}
            data-testid={`entry-row-${e.id}`}
            draggable
            onDragStart={(ev) => {
              setDragFrom(i);
              ev.dataTransfer.effectAllowed = 'move';
              ev.dataTransfer.setData('text/plain', String(i));
            }}
            onDragOver={(ev) => {
              ev.preventDefault();
              setDragOver(i);
            }}
            onDragLeave={() => setDragOver(undefined)}
            onDrop={(ev) => {
              ev.preventDefault();
              const from = dragFrom ?? Number(ev.dataTransfer.getData('text/plain'));
              if (Number.isInteger(from)) onMove(from, i);
              setDragFrom(undefined);
              setDragOver(undefined);
            }}
            onDragEnd={() => {
              setDragFrom(undefined);
              setDragOver(undefined);
            }}
            onClick={() => onSelect(i)}
          >
            <span className="menu-drag-handle" aria-hidden>
              ⋮⋮
            </span>
            <span className="menu-entry-main">
              <span className="menu-entry-label">
                <span className="menu-entry-text" title={label}>
                  {label}
                </span>
                {menu.default === e.id && <span className="tag">default</span>}
                {'firmware' in e && e.firmware !== 'both' && (
                  <span className="tag">{e.firmware === 'bios' ? 'BIOS' : 'UEFI'}</span>
                )}
                {'password' in e && e.password && <span className="tag">password</span>}
              </span>
              <span className="muted small">
                {KIND_LABELS[e.kind]} · <span className="mono">{e.id}</span>
              </span>
              {errors.concat(warnings).map((x, n) => (
                <span
                  key={n}
                  className={x.severity === 'error' ? 'field-error' : 'menu-field-warning'}
                  data-testid={`entry-issue-${e.id}`}
                >
                  {x.field ? `${fieldWords(x.field)}: ` : ''}
                  {x.message}
                </span>
              ))}
            </span>
            <span className="menu-entry-actions" onClick={(ev) => ev.stopPropagation()}>
              <button
                type="button"
                className="button button-small"
                aria-label={`Move ${e.id} up`}
                data-testid={`up-${e.id}`}
                disabled={i === 0}
                onClick={() => onMove(i, i - 1)}
              >
                ▲
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Move ${e.id} down`}
                data-testid={`down-${e.id}`}
                disabled={i === last}
                onClick={() => onMove(i, i + 1)}
              >
                ▼
              </button>
              {e.kind !== 'separator' && e.kind !== 'header' && menu.default !== e.id && (
                <button type="button" className="button button-small" onClick={() => onMakeDefault(i)}>
                  Default
                </button>
              )}
              <button
                type="button"
                className="button button-small"
                data-testid={`duplicate-${e.id}`}
                onClick={() => onDuplicate(i)}
              >
                Duplicate
              </button>
              <button
                type="button"
                className="button button-small"
                data-testid={`delete-${e.id}`}
                onClick={() => onDelete(i)}
              >
                Delete
              </button>
            </span>
          </li>
        );
      })}
      {menu.entries.length === 0 && <li className="muted">This menu is empty: add an entry.</li>}
    </ol>
  );
}
