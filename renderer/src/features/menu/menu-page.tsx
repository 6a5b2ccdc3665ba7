import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiRequestError } from '../../api/client';
import { useApi } from '../../api/api-context';
import { toProblem, type Problem } from '../../api/use-request';
import { Page } from '../../components/page';
import { ProblemBox } from '../../components/problem-box';
import type {
  EntryKind,
  MenuConfig,
  MenuIssue,
  MenuPreviewResponse,
  MenuState,
} from '../../../../services/api/contract-menu';
import { isMac } from '../../../../services/shared/address.js';
import * as edit from './menu-edit';
import { EntryList } from './entry-list';
import { EntryForm } from './entry-form';
import { MenuPreviewPanel } from './menu-preview';
import { HostsEditor } from './hosts-editor';
import './menu.css';
import { useUnsavedGuard } from '../../app/unsaved-guard';
import { fieldWords } from './field-words';
import { MenuLibraryCard } from '../library/menu-library-card';

const ADDABLE: EntryKind[] = [
  'linux',
  'iso',
  'winpe',
  'binary',
  'chain',
  'submenu',
  'local',
  'shell',
  'reboot',
  'poweroff',
  'pxelinux',
  'header',
  'separator',
];

/**
 * The boot menu editor: entries of each menu (add, edit, reorder by drag or buttons, duplicate, delete),
 * per-machine assignments, import/export, and a live preview of what a BIOS or UEFI client would see.
 * Edits stay in a draft until Save; the preview and the issues follow the draft as you type.
 */
export function MenuPage() {
  const { api } = useApi();
  const [saved, setSaved] = useState<MenuState | undefined>();
  const [draft, setDraft] = useState<MenuConfig | undefined>();
  const [menuId, setMenuId] = useState<string>('');
  const [selected, setSelected] = useState<number | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<string | undefined>();
  const [platform, setPlatform] = useState<'pcbios' | 'efi'>('pcbios');
  const [mac, setMac] = useState('');
  const [preview, setPreview] = useState<MenuPreviewResponse | undefined>();
  const [previewBusy, setPreviewBusy] = useState(false);
  const [addKind, setAddKind] = useState<EntryKind>('linux');
  const fileInput = useRef<HTMLInputElement>(null);

  const load = async (): Promise<void> => {
    try {
      const state = await api.request('GET /api/menu');
      setSaved(state);
      setDraft(state.menu);
      setMenuId((old) => (state.menu.menus.some((m) => m.id === old) ? old : state.menu.root));
      setProblem(undefined);
    } catch (err) {
      setProblem(toProblem(err));
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  // Live preview (and validation) of the draft, a moment after the last change.
  useEffect(() => {
    if (!draft) return;
    let live = true;
    setPreviewBusy(true);
    const timer = setTimeout(() => {
      api
        .request('POST /api/menu/preview', {
          // A MAC still being typed previews as no MAC (no assignment applies) rather than an error.
          body: { menu: draft, platform, ...(isMac(mac) ? { mac } : {}) },
        })
        .then((p) => live && setPreview(p))
        .catch((err: unknown) => live && setProblem(toProblem(err)))
        .finally(() => live && setPreviewBusy(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, draft, platform, mac]);

  const issues: MenuIssue[] = preview?.issues ?? saved?.validation.issues ?? [];
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(saved?.menu), [draft, saved]);
  useUnsavedGuard(dirty, 'the boot menu');
  // The selected (or just added) entry's form sits below the list: bring it into view, so its fields and
  // their errors are where the technician looks.
  const formCard = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selected === undefined) return;
    formCard.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    formCard.current?.querySelector<HTMLElement>('input, select, textarea')?.focus({ preventScroll: true });
  }, [selected, menuId]);
  const menu = draft?.menus.find((m) => m.id === menuId) ?? draft?.menus[0];
  const entry = menu && selected !== undefined ? menu.entries[selected] : undefined;

  if (!draft || !menu) {
    return (
      <Page title="Boot menu">
        {problem ? <ProblemBox problem={problem} /> : <div className="page-loading">Loading the menu…</div>}
      </Page>
    );
  }

  const change = (next: MenuConfig): void => {
    setDraft(next);
    setSavedAt(undefined);
  };

  const save = async (): Promise<void> => {
    setSaving(true);
    try {
      const state = await api.request('PUT /api/menu', { body: draft });
      setSaved(state);
      setDraft(state.menu);
      setProblem(undefined);
      setSavedAt(new Date().toLocaleTimeString());
    } catch (err) {
      setProblem(toProblem(err));
      if (err instanceof ApiRequestError) setSavedAt(undefined);
    } finally {
      setSaving(false);
    }
  };

  const exportMenu = (): void => {
    const data = JSON.stringify({ format: 'bootlab-menu', version: 1, menu: draft }, null, 2) + '\n';
    const url = URL.createObjectURL(new Blob([data], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'bootlab-menu.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importMenu = async (file: File): Promise<void> => {
    try {
      const raw = edit.parseImport(await file.text()) as { format?: string; menu?: unknown } | null;
      const candidate = raw && raw.format === 'bootlab-menu' ? raw.menu : raw;
      // The preview parses it: an empty script means it is not a menu (the issues say why).
      const check = await api.request('POST /api/menu/preview', { body: { menu: candidate, platform } });
      if (check.script === '' || !check.config) {
        const first = check.issues.filter((i) => i.severity === 'error').slice(0, 3);
        setProblem({
          code: 'IMPORT',
          message: `The file is not a valid Bootlab menu: ${first.map((i) => (i.entryId ? `entry “${i.entryId}”, ` : '') + (i.field ? `${fieldWords(i.field)}: ` : '') + i.message).join(' ')}`,
          hint: 'Choose a menu exported from Bootlab, or fix the file.',
        });
        return;
      }
      // Imported into the draft: look at it, then Save (or Revert).
      const config = check.config;
      change(config);
      setMenuId(config.root ?? 'main');
      setSelected(undefined);
      setProblem(undefined);
    } catch (err) {
      setProblem(toProblem(err));
    }
  };

  const addEntry = (): void => {
    const id = edit.uniqueId(addKind, edit.allIds(draft));
    const at = selected !== undefined ? selected + 1 : menu.entries.length;
    const sub = draft.menus.find((m) => m.id !== menu.id)?.id;
    change(edit.addEntry(draft, menu.id, edit.newEntry(addKind, id, sub), at));
    setSelected(at);
  };

  const menuIssues = issues.filter((i) => i.menuId === menu.id && !i.entryId);
  const globalIssues = issues.filter((i) => !i.menuId && !i.entryId && !i.mac);
  const entryIssues = entry ? issues.filter((i) => i.entryId === entry.id) : [];

  return (
    <Page
      stickyHeader
      title="Boot menu"
      intro="What every machine sees after iPXE starts. Changes apply to the next machine that boots once saved."
      actions={
        <>
          <button type="button" className="button" onClick={() => fileInput.current?.click()}>
            Import…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-file"
            onChange={(e) => e.target.files?.[0] && void importMenu(e.target.files[0])}
          />
          <button type="button" className="button" onClick={exportMenu}>
            Export
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={!dirty}
            onClick={() => saved && (change(saved.menu), setSelected(undefined))}
          >
            Revert
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!dirty || saving}
            data-testid="menu-save"
            onClick={() => void save()}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
          {savedAt && !dirty && <span className="saved">Saved {savedAt}</span>}
          {dirty && <span className="muted small">Unsaved changes</span>}
        </>
      }
    >
      {problem && <ProblemBox problem={problem} />}
      {globalIssues.map((i, n) => (
        <div key={n} className={i.severity === 'error' ? 'problem' : 'notice'}>
          {i.message}
        </div>
      ))}
      <div className="menu-layout">
        <div className="menu-left">
          <div className="card">
            <div className="menu-tabs-row">
              <div className="menu-tabs" role="tablist" aria-label="Menus">
                {draft.menus.map((m) => (
                  <button
                    key={m.id}
                    type="button"
                    role="tab"
                    aria-selected={m.id === menu.id}
                    className={m.id === menu.id ? 'menu-tab active' : 'menu-tab'}
                    onClick={() => (setMenuId(m.id), setSelected(undefined))}
                  >
                    {m.title}
                    {m.id === draft.root && <span className="tag">start</span>}
                  </button>
                ))}
              </div>
              <div className="menu-tabs-actions">
                <button
                  type="button"
                  className="menu-tab"
                  onClick={() => {
                    const r = edit.addMenu(draft, 'Submenu');
                    change(r.config);
                    setMenuId(r.id);
                    setSelected(undefined);
                  }}
                >
                  + Menu
                </button>
              </div>
            </div>
            <div className="menu-settings">
              <label>
                Title{' '}
                <input
                  className="input"
                  value={menu.title}
                  data-testid="menu-title"
                  onChange={(e) => change(edit.updateMenu(draft, menu.id, { title: e.target.value }))}
                />
              </label>
              <label>
                Timeout (s){' '}
                <input
                  className="input"
                  type="number"
                  min={0}
                  max={3600}
                  value={menu.timeout}
                  onChange={(e) =>
                    change(
                      edit.updateMenu(draft, menu.id, { timeout: Math.max(0, Number(e.target.value) || 0) }),
                    )
                  }
                />
              </label>
              {menu.id !== draft.root && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => (change(edit.removeMenu(draft, menu.id)), setMenuId(draft.root))}
                >
                  Delete menu
                </button>
              )}
            </div>
            {menuIssues.map((i, n) => (
              <span key={n} className={i.severity === 'error' ? 'field-error' : 'menu-field-warning'}>
                {i.message}
              </span>
            ))}
            <EntryList
              menu={menu}
              selected={selected}
              issues={issues}
              onSelect={setSelected}
              onMove={(from, to) => {
                change(edit.moveEntry(draft, menu.id, from, to));
                if (selected === from) setSelected(to);
              }}
              onDuplicate={(i) => (change(edit.duplicateEntry(draft, menu.id, i)), setSelected(i + 1))}
              onDelete={(i) => (change(edit.removeEntry(draft, menu.id, i)), setSelected(undefined))}
              onMakeDefault={(i) => change(edit.updateMenu(draft, menu.id, { default: menu.entries[i]!.id }))}
            />
            <div className="menu-add">
              <select
                className="input"
                value={addKind}
                aria-label="Kind of the new entry"
                data-testid="add-kind"
                onChange={(e) => setAddKind(e.target.value as EntryKind)}
              >
                {ADDABLE.map((k) => (
                  <option key={k} value={k}>
                    {edit.KIND_LABELS[k]}
                  </option>
                ))}
              </select>
              <button type="button" className="button" data-testid="add-entry" onClick={addEntry}>
                Add entry
              </button>
            </div>
          </div>
          {entry && selected !== undefined && (
            <div className="card" ref={formCard} data-testid="entry-form-card">
              <EntryForm
                api={api}
                entry={entry}
                menus={draft.menus}
                issues={entryIssues}
                onChange={(e) => change(edit.updateEntry(draft, menu.id, selected, e))}
              />
            </div>
          )}
          <div className="card menu-options">
            <h2>Options</h2>
            <label>
              Entries a machine cannot run:{' '}
              <select
                className="input"
                value={draft.unavailable}
                onChange={(e) => change({ ...draft, unavailable: e.target.value as 'hide' | 'explain' })}
              >
                <option value="explain">shown greyed out with the reason</option>
                <option value="hide">hidden</option>
              </select>
            </label>
            <label>
              <input
                type="checkbox"
                checked={draft.autoRescue}
                onChange={(e) => change({ ...draft, autoRescue: e.target.checked })}
              />{' '}
              Add rescue tools found on this system
              {saved && saved.detected.length > 0
                ? ` (${saved.detected.map((d) => ('label' in d ? d.label : d.id)).join(', ')})`
                : ' (none found)'}
            </label>
          </div>
          <MenuLibraryCard />
          <HostsEditor config={draft} issues={issues} onChange={(hosts) => change({ ...draft, hosts })} />
        </div>
        <div className="menu-right">
          <MenuPreviewPanel
            preview={preview}
            platform={platform}
            mac={mac}
            busy={previewBusy}
            onPlatform={setPlatform}
            onMac={setMac}
          />
        </div>
      </div>
    </Page>
  );
}
