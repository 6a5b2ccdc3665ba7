import { useState, type ReactNode } from 'react';
import type { ApiClient } from '../../api/client';
import type { Menu, MenuEntry, MenuIssue } from '../../../../services/api/contract-menu';
import { FilePicker } from './file-picker';
import { KIND_LABELS } from './menu-edit';

/**
 * The form for one entry: the fields its kind needs (with boot-root file pickers), then the per-entry
 * options every bootable kind has (firmware, architecture, key, password, HTTP credentials). Issues from
 * the validator appear under the field they name.
 */

type Props = {
  api: ApiClient;
  entry: MenuEntry;
  menus: Menu[];
  issues: MenuIssue[];
  onChange: (entry: MenuEntry) => void;
};

type AnyEntry = MenuEntry & Record<string, unknown>;

function FieldIssues({ issues, field }: { issues: MenuIssue[]; field: string }) {
  const mine = issues.filter((i) => i.field === field || (i.field?.startsWith(field + '[') ?? false));
  return (
    <>
      {mine.map((i, n) => (
        <span key={n} className={i.severity === 'error' ? 'field-error' : 'menu-field-warning'}>
          {i.message}
        </span>
      ))}
    </>
  );
}

function Row({ label, children, help }: { label: string; children: ReactNode; help?: string }) {
  return (
    <label className="menu-form-row">
      <span className="menu-form-label">{label}</span>
      <span className="menu-form-input">
        {children}
        {help && <span className="field-help">{help}</span>}
      </span>
    </label>
  );
}

function FileInput({
  api,
  value,
  onChange,
  testId,
}: {
  api: ApiClient;
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <span className="menu-file-input">
      <span className="menu-file-row">
        <input
          className="mono"
          value={value}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
        <button type="button" className="button button-small" onClick={() => setOpen(!open)}>
          Browse…
        </button>
      </span>
      {open && <FilePicker api={api} value={value} onPick={onChange} onClose={() => setOpen(false)} />}
    </span>
  );
}

function FileList({
  api,
  values,
  onChange,
  field,
}: {
  api: ApiClient;
  values: string[];
  onChange: (v: string[]) => void;
  field: string;
}) {
  return (
    <span className="menu-file-list-input">
      {values.map((v, i) => (
        <span key={i} className="menu-file-row">
          <FileInput
            api={api}
            value={v}
            testId={`field-${field}-${i}`}
            onChange={(nv) => onChange(values.map((x, j) => (j === i ? nv : x)))}
          />
          <button
            type="button"
            className="button button-quiet button-small"
            aria-label="Remove"
            onClick={() => onChange(values.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </span>
      ))}
      <button type="button" className="button button-small" onClick={() => onChange([...values, ''])}>
        Add file
      </button>
    </span>
  );
}

export function EntryForm({ api, entry, menus, issues, onChange }: Props) {
  const e = entry as AnyEntry;
  const set = (key: string, value: unknown): void => {
    const next = { ...e, [key]: value } as Record<string, unknown>;
    if (value === undefined || value === '') delete next[key];
    onChange(next as MenuEntry);
  };
  const text = (key: string, label: string, help?: string, mono = false) => (
    <Row label={label} help={help}>
      <input
        className={mono ? 'mono' : ''}
        data-testid={`field-${key}`}
        value={String(e[key] ?? '')}
        onChange={(ev) => set(key, ev.target.value)}
      />
      <FieldIssues issues={issues} field={key} />
    </Row>
  );
  const file = (key: string, label: string, help?: string) => (
    <Row label={label} help={help}>
      <FileInput
        api={api}
        value={String(e[key] ?? '')}
        testId={`field-${key}`}
        onChange={(v) => set(key, v)}
      />
      <FieldIssues issues={issues} field={key} />
    </Row>
  );
  const files = (key: string, label: string) => (
    <Row label={label}>
      <FileList
        api={api}
        field={key}
        values={(e[key] as string[] | undefined) ?? []}
        onChange={(v) => set(key, v)}
      />
      <FieldIssues issues={issues} field={key} />
    </Row>
  );

  const kindFields = (): ReactNode => {
    switch (entry.kind) {
      case 'linux':
        return (
          <>
            {file('kernel', 'Kernel')}
            {files('initrds', 'Initrds')}
            {text(
              'cmdline',
              'Command line',
              'Passed to the kernel; ${base} is the HTTP address of this server.',
              true,
            )}
          </>
        );
      case 'iso':
        return (
          <>
            {file('iso', 'ISO file or URL')}
            <Row
              label="Method"
              help="sanboot maps the ISO over HTTP (BIOS and UEFI); memdisk loads it into memory (BIOS only); extracted boots its kernel."
            >
              <select
                value={entry.method}
                data-testid="field-method"
                onChange={(ev) => set('method', ev.target.value)}
              >
                <option value="sanboot">sanboot over HTTP</option>
                <option value="memdisk">memdisk (BIOS only)</option>
                <option value="extracted">extracted kernel and initrd</option>
              </select>
            </Row>
            {entry.method === 'memdisk' &&
              file(
                'memdisk',
                'memdisk',
                'From syslinux-common (/usr/lib/syslinux/memdisk), copied into the boot root.',
              )}
            {entry.method === 'extracted' && (
              <>
                {file('kernel', 'Kernel')}
                {files('initrds', 'Initrds')}
                {text('cmdline', 'Command line', undefined, true)}
              </>
            )}
          </>
        );
      case 'winpe':
        return (
          <>
            {file('wimboot', 'wimboot')}
            {file('bcd', 'BCD')}
            {file('bootSdi', 'boot.sdi')}
            {file('bootWim', 'boot.wim')}
            <Row label="Extra files" help="Injected by wimboot, e.g. winpeshl.ini or startnet.cmd.">
              <FileList
                api={api}
                field="extraFiles"
                values={entry.extraFiles.map((f) => f.path)}
                onChange={(paths) =>
                  set(
                    'extraFiles',
                    paths.map((p, i) => ({
                      path: p,
                      ...(entry.extraFiles[i]?.name ? { name: entry.extraFiles[i]!.name } : {}),
                    })),
                  )
                }
              />
              <FieldIssues issues={issues} field="extraFiles" />
            </Row>
            {text('args', 'wimboot options', 'e.g. gui or pause', true)}
          </>
        );
      case 'binary':
        return (
          <>
            {file(
              'efi',
              'EFI program',
              'Used on UEFI machines, e.g. memtest64.efi. Leave empty for BIOS only.',
            )}
            {file(
              'bios',
              'BIOS program',
              'Used on BIOS machines, e.g. memtest64.bin. Leave empty for UEFI only.',
            )}
            {text('args', 'Arguments', undefined, true)}
          </>
        );
      case 'chain':
        return text('url', 'URL', 'An iPXE script or program, e.g. http://boot.netboot.xyz/', true);
      case 'pxelinux':
        return (
          <>
            {file('pxelinux', 'pxelinux.0')}
            {text('config', 'Config file (option 209)', undefined, true)}
          </>
        );
      case 'submenu':
        return (
          <Row label="Opens menu">
            <select
              value={entry.menu}
              data-testid="field-menu"
              onChange={(ev) => set('menu', ev.target.value)}
            >
              {menus.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title} ({m.id})
                </option>
              ))}
            </select>
            <FieldIssues issues={issues} field="menu" />
          </Row>
        );
      default:
        return null;
    }
  };

  const bootable = entry.kind !== 'separator' && entry.kind !== 'header';
  return (
    <div className="menu-entry-form" data-testid="entry-form">
      <div className="menu-form-kind muted small">{KIND_LABELS[entry.kind]}</div>
      {text('id', 'Id', 'Letters, digits, "-" and "_"; used in the script and by host assignments.', true)}
      {entry.kind !== 'separator' && text('label', entry.kind === 'header' ? 'Header text' : 'Label')}
      {kindFields()}
      {bootable && (
        <details
          className="menu-form-options"
          open={Boolean(e.password || e.credentials || e.arch || entry.firmware !== 'both')}
        >
          <summary>Firmware, key, password</summary>
          <Row label="Runs on">
            <select
              value={entry.firmware}
              data-testid="field-firmware"
              onChange={(ev) => set('firmware', ev.target.value)}
            >
              <option value="both">BIOS and UEFI</option>
              <option value="bios">BIOS only</option>
              <option value="uefi">UEFI only</option>
            </select>
            <FieldIssues issues={issues} field="firmware" />
          </Row>
          <Row label="UEFI architecture" help="Leave all unticked for any.">
            <span className="menu-checks">
              {(['x86_64', 'i386', 'arm64'] as const).map((a) => (
                <label key={a}>
                  <input
                    type="checkbox"
                    checked={entry.arch?.includes(a) ?? false}
                    onChange={(ev) => {
                      const next = (entry.arch ?? [])
                        .filter((x) => x !== a)
                        .concat(ev.target.checked ? [a] : []);
                      set('arch', next.length ? next : undefined);
                    }}
                  />{' '}
                  {a}
                </label>
              ))}
            </span>
          </Row>
          {text('key', 'Shortcut key')}
          {text(
            'password',
            'Menu password',
            'Asked before booting. Anyone on the bench network can read the script, so this only stops accidents.',
          )}
          <Row label="HTTP user / password" help="For downloads from a server that needs a login.">
            <span className="menu-file-row">
              <input
                placeholder="user"
                value={entry.credentials?.username ?? ''}
                onChange={(ev) =>
                  set(
                    'credentials',
                    ev.target.value || entry.credentials?.password
                      ? { username: ev.target.value, password: entry.credentials?.password ?? '' }
                      : undefined,
                  )
                }
              />
              <input
                placeholder="password"
                type="password"
                value={entry.credentials?.password ?? ''}
                onChange={(ev) =>
                  set('credentials', {
                    username: entry.credentials?.username ?? '',
                    password: ev.target.value,
                  })
                }
              />
            </span>
            <FieldIssues issues={issues} field="credentials" />
          </Row>
        </details>
      )}
    </div>
  );
}
