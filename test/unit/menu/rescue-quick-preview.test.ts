import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRescueFileProvider, detectRescueTools } from '../../../services/menu/rescue.js';
import { quickMenuConfig, renderQuickScript } from '../../../services/menu/quick.js';
import { previewMenu } from '../../../services/menu/text-preview.js';
import { noCheckin } from '../../../services/menu/checkin.js';
import { assertWellFormedIpxe, loadFixtureConfig } from './golden.js';

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bootlab-rescue-'));
  for (const [f, data] of Object.entries(files)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), data);
  }
  return root;
}

test('rescue tools: the boot root wins, system files are served under bootlab-rescue/', async (t) => {
  const root = dir({ 'memtest/memtest64.efi': 'efi' });
  const sys = dir({ 'memtest86+x64.bin': 'bios-image', 'netboot.xyz.efi': 'nbxyz' });
  t.after(() => [root, sys].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const found = await detectRescueTools({ bootRoot: root, systemDirs: [sys] });
  assert.deepEqual(found.entries, [
    {
      id: 'memtest',
      kind: 'binary',
      label: 'Memtest86+ memory test',
      key: 'm',
      firmware: 'both',
      arch: ['x86_64'],
      efi: 'memtest/memtest64.efi',
      bios: 'bootlab-rescue/memtest86+x64.bin',
      args: '',
    },
    {
      id: 'netbootxyz',
      kind: 'binary',
      label: 'netboot.xyz (local copy)',
      key: 'n',
      firmware: 'both',
      arch: ['x86_64'],
      efi: 'bootlab-rescue/netboot.xyz.efi',
      args: '',
    },
  ]);
  const provider = createRescueFileProvider(found.systemFiles);
  const file = await provider('bootlab-rescue/memtest86+x64.bin', { address: '10.0.0.2' });
  assert.ok(file);
  assert.equal(file.size, 'bios-image'.length);
  assert.equal(await provider('bootlab-rescue/other', { address: '10.0.0.2' }), undefined);
});

test('rescue tools: Debian memtest86+ package paths are found when installed', async (t) => {
  if (!existsSync('/boot/memtest86+x64.efi'))
    return t.skip('memtest86+ is not installed (apt-get install memtest86+)');
  const found = await detectRescueTools({});
  const mt = found.entries.find((e) => e.id === 'memtest');
  assert.ok(mt && mt.kind === 'binary');
  assert.equal(mt.efi, 'bootlab-rescue/memtest86+x64.efi');
  assert.equal(mt.bios, 'bootlab-rescue/memtest86+x64.bin');
  assert.equal(found.systemFiles.get('bootlab-rescue/memtest86+x64.efi'), '/boot/memtest86+x64.efi');
});

test('quick mode: one kernel booted straight away, with a menu to fall back on', () => {
  const spec = { kernel: 'quick/0-vmlinuz', initrds: ['quick/1-initrd.img'], cmdline: 'console=ttyS0' };
  assert.deepEqual(
    quickMenuConfig(spec).menus[0]!.entries.map((e) => e.id),
    ['quick', 'shell', 'reboot'],
  );
  const s = renderQuickScript(spec, 'http://10.0.2.2:8080', noCheckin);
  assertWellFormedIpxe(s);
  assert.match(s, /^set bl-menu m-quick\ngoto e-quick$/m);
  assert.match(
    s,
    /^kernel \$\{base\}\/quick\/0-vmlinuz initrd=1-initrd\.img console=ttyS0 \|\| goto bl-failed$/m,
  );
});

test('text-mode preview: BIOS greys out UEFI-only entries, UEFI greys out BIOS-only ones', () => {
  const config = loadFixtureConfig('all-kinds.json');
  const bios = previewMenu(config, { platform: 'pcbios' }, { menuId: 'tools', rows: 12 });
  assert.deepEqual(
    bios.rows.map((r) => `${r.kind}${r.selected ? '*' : ''} ${r.text}`),
    [
      'unavailable Memtest86+ (UEFI) (x86_64 UEFI only)',
      'item Memtest86+ (BIOS)',
      'item* netboot.xyz',
      'item Legacy pxelinux menu',
      'item iPXE shell',
      'gap ',
      'item < Back',
    ],
  );
  const efi = previewMenu(config, { platform: 'efi', buildarch: 'x86_64' });
  assert.equal(efi.lines[1]!.trim(), 'Bench menu');
  assert.equal(efi.lines.length, 25);
  assert.ok(efi.lines.every((l) => l.length === 80));
  assert.equal(efi.lines[4], ' >Debian installer' + ' '.repeat(57) + '(5)  ');
  assert.ok(efi.rows.some((r) => r.kind === 'unavailable' && r.text === 'Live ISO (memdisk) (BIOS only)'));
  const arm = previewMenu(config, { platform: 'efi', buildarch: 'arm64' }, { menuId: 'tools' });
  assert.equal(arm.rows[0]!.kind, 'unavailable');
});
