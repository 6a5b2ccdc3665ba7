import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateMenuConfig, type MenuIssue } from '../../../services/menu/validate.js';
import { bootRootFileExists, listBootRootDir } from '../../../services/menu/boot-root-files.js';
import { defaultMenuConfig } from '../../../services/menu/model.js';

function bootRoot(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'bootlab-menu-'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'x');
  }
  return root;
}

function byEntry(issues: MenuIssue[], id: string): string[] {
  return issues.filter((i) => i.entryId === id).map((i) => `${i.severity} ${i.field ?? '-'}: ${i.message}`);
}

test('the default menu is valid', async () => {
  const v = await validateMenuConfig(defaultMenuConfig());
  assert.deepEqual(v.issues, []);
  assert.equal(v.ok, true);
});

test('missing files, bad URLs, paths leaving the boot root: errors keyed by entry and field', async (t) => {
  const root = bootRoot(['debian/linux', 'debian/initrd.gz']);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const v = await validateMenuConfig(
    {
      menus: [
        {
          id: 'main',
          title: 'M',
          entries: [
            { id: 'ok', kind: 'linux', label: 'OK', kernel: 'debian/linux', initrds: ['debian/initrd.gz'] },
            { id: 'missing', kind: 'linux', label: 'Missing', kernel: 'debian/linux', initrds: ['nope.gz'] },
            { id: 'escape', kind: 'linux', label: 'Escape', kernel: '../etc/passwd' },
            { id: 'abs', kind: 'linux', label: 'Abs', kernel: '/boot/vmlinuz' },
            { id: 'url', kind: 'chain', label: 'URL', url: 'http://' },
            { id: 'gopher', kind: 'chain', label: 'Gopher', url: 'gopher://x/y' },
            { id: 'good-url', kind: 'chain', label: 'Good', url: 'http://boot.netboot.xyz/' },
          ],
        },
      ],
    },
    { fileExists: bootRootFileExists(root) },
  );
  assert.equal(v.ok, false);
  assert.deepEqual(byEntry(v.issues, 'ok'), []);
  assert.deepEqual(byEntry(v.issues, 'good-url'), []);
  assert.deepEqual(byEntry(v.issues, 'missing'), [
    'error initrds[0]: The file "nope.gz" is not in the boot root; copy it there or fix the path.',
  ]);
  assert.deepEqual(byEntry(v.issues, 'escape'), [
    'error kernel: "../etc/passwd" leaves the boot root ("..").',
  ]);
  assert.deepEqual(byEntry(v.issues, 'abs'), [
    'error kernel: "/boot/vmlinuz" is an absolute path; give it relative to the boot root.',
  ]);
  assert.deepEqual(byEntry(v.issues, 'url'), ['error url: "http://" is not a valid URL.']);
  assert.deepEqual(byEntry(v.issues, 'gopher'), [
    'error url: iPXE cannot download gopher: URLs; use http:// or tftp://.',
  ]);
});

test('firmware: memdisk on UEFI is an error, memdisk on both a warning; binary with no file an error', async () => {
  const v = await validateMenuConfig({
    menus: [
      {
        id: 'main',
        title: 'M',
        entries: [
          { id: 'sh', kind: 'shell', label: 'Shell' },
          { id: 'md-uefi', kind: 'iso', label: 'A', iso: 'a.iso', method: 'memdisk', firmware: 'uefi' },
          { id: 'md-both', kind: 'iso', label: 'B', iso: 'a.iso', method: 'memdisk' },
          { id: 'empty-bin', kind: 'binary', label: 'C' },
          { id: 'no-kernel', kind: 'iso', label: 'D', iso: 'a.iso', method: 'extracted' },
        ],
      },
    ],
  });
  assert.deepEqual(byEntry(v.issues, 'md-uefi'), [
    'error firmware: This entry can run on no machine: memdisk runs on BIOS only, but the entry is set to UEFI.',
  ]);
  assert.deepEqual(byEntry(v.issues, 'md-both'), [
    'warning firmware: memdisk runs on BIOS only; other machines see it greyed out.',
  ]);
  assert.deepEqual(byEntry(v.issues, 'empty-bin'), [
    'error firmware: This entry can run on no machine: it has neither an EFI nor a BIOS file.',
  ]);
  assert.deepEqual(byEntry(v.issues, 'no-kernel'), [
    'error kernel: An ISO booted from extracted files needs the kernel path.',
  ]);
});

test('duplicate ids and keys, empty menus, missing and unreachable submenus, bad defaults, host assignments', async () => {
  const v = await validateMenuConfig({
    menus: [
      {
        id: 'main',
        title: 'Main',
        default: 'nope',
        entries: [
          { id: 'a', kind: 'shell', label: 'A', key: 'x' },
          { id: 'a', kind: 'reboot', label: 'A again', key: 'x' },
          { id: 'sub', kind: 'submenu', label: 'Sub', menu: 'ghost' },
          { id: 'self', kind: 'submenu', label: 'Self', menu: 'main' },
        ],
      },
      { id: 'lonely', title: 'Lonely', entries: [{ id: 'h', kind: 'header', label: 'Only a header' }] },
    ],
    hosts: [
      { mac: '52:54:00:00:00:01', action: { type: 'entry', entry: 'zzz' } },
      { mac: '52:54:00:00:00:01', action: { type: 'menu', menu: 'ghost' } },
    ],
  });
  const text = v.issues.map((i) => `${i.entryId ?? i.menuId ?? i.mac ?? '-'}: ${i.message}`);
  assert.ok(text.includes('a: The id "a" is used more than once; every entry needs its own id.'));
  assert.ok(text.includes('a: The key "x" is also used by "a"; only the first one reacts.'));
  assert.ok(text.includes('sub: The submenu "ghost" does not exist.'));
  assert.ok(text.includes('self: A submenu entry cannot open the menu it is in.'));
  assert.ok(text.includes('main: The default entry "nope" is not an entry of this menu.'));
  assert.ok(text.includes('lonely: The menu "Lonely" has no entries to choose.'));
  assert.ok(
    text.includes(
      'lonely: No entry leads to the menu "Lonely"; add a submenu entry for it or assign it to a host.',
    ),
  );
  assert.ok(
    text.includes('52:54:00:00:00:01: 52:54:00:00:00:01 is assigned the entry "zzz", which does not exist.'),
  );
  assert.ok(text.includes('52:54:00:00:00:01: The MAC 52:54:00:00:00:01 has more than one assignment.'));
  assert.ok(
    text.includes('52:54:00:00:00:01: 52:54:00:00:00:01 is assigned the menu "ghost", which does not exist.'),
  );
});

test('schema errors are keyed by the entry they are in', async () => {
  const v = await validateMenuConfig({
    menus: [
      {
        id: 'main',
        title: 'M',
        entries: [
          { id: 'k', kind: 'linux', label: 'K' },
          { id: 'Bad Id', kind: 'shell', label: 'S' },
        ],
      },
    ],
  });
  assert.equal(v.ok, false);
  assert.deepEqual(
    v.issues.map((i) => [i.entryId, i.field]),
    [
      ['k', 'kernel'],
      ['Bad Id', 'id'],
    ],
  );
});

test('boot root listing for file pickers never leaves the root', async (t) => {
  const root = bootRoot(['a/b.txt', 'z.iso', '.hidden']);
  const outside = mkdtempSync(join(tmpdir(), 'bootlab-out-'));
  symlinkSync(outside, join(root, 'escape'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const top = await listBootRootDir(root, '');
  assert.deepEqual(
    top.entries.map((e) => `${e.type} ${e.path}`),
    ['dir a', 'file z.iso'],
  );
  const sub = await listBootRootDir(root, 'a');
  assert.deepEqual(
    sub.entries.map((e) => `${e.type} ${e.path} ${e.size}`),
    ['file a/b.txt 1'],
  );
  await assert.rejects(listBootRootDir(root, '../'), /leave the boot root/);
  await assert.rejects(listBootRootDir(root, 'escape'), /out of the boot root/);
  await assert.rejects(listBootRootDir(root, '/etc'), /absolute/);
});
