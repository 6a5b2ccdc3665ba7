import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultMenuConfig, menuConfigSchema, type MenuEntry } from '../../../services/menu/model.js';
import { RESCUE_ENTRY_ID, withRescueDefault } from '../../../services/library/rescue.js';
import { parseBootCatalog } from '../../../services/library/iso-volume.js';
import { libraryContribution } from '../../../services/library/library-menu.js';
import type { LibraryIsoView } from '../../../services/library/views.js';

test('one-click rescue puts a copy of the tool first in the root menu as its default, 5 s timeout', () => {
  const tool: MenuEntry = {
    id: 'lib-x-k',
    kind: 'linux',
    label: 'Tool',
    firmware: 'both',
    kernel: 'k',
    initrds: [],
    cmdline: 'a=b',
  };
  const once = withRescueDefault(defaultMenuConfig(), tool, 'Tool');
  const twice = withRescueDefault(once, tool, 'Tool');
  const main = twice.menus[0]!;
  assert.equal(main.default, RESCUE_ENTRY_ID);
  assert.equal(main.timeout, 5);
  assert.equal(main.entries.filter((e) => e.id === RESCUE_ENTRY_ID).length, 1, 'pressing twice keeps one');
  assert.equal(main.entries[0]!.id, RESCUE_ENTRY_ID);
  assert.equal((main.entries[0] as { label: string }).label, 'Rescue: Tool');
  assert.doesNotThrow(() => menuConfigSchema.parse(twice));
});

test('El Torito catalogs: BIOS default entry plus an EFI section; malformed ones give nothing', () => {
  const cat = Buffer.alloc(2048);
  cat[0] = 1; // validation entry, platform 0 (x86)
  cat[30] = 0x55;
  cat[31] = 0xaa;
  cat[32] = 0x88; // default entry: bootable, no emulation
  cat[64] = 0x91; // last section header
  cat[65] = 0xef; // EFI
  cat.writeUInt16LE(1, 66);
  cat[96] = 0x88;
  assert.deepEqual(parseBootCatalog(cat), [
    { platform: 'bios', media: 'no-emulation' },
    { platform: 'uefi', media: 'no-emulation' },
  ]);
  const bad = Buffer.from(cat);
  bad[31] = 0;
  assert.deepEqual(parseBootCatalog(bad), []);
  assert.deepEqual(parseBootCatalog(Buffer.alloc(10)), []);
});

test('ISO paths with spaces become one URL token in kernel arguments', () => {
  const iso: LibraryIsoView = {
    id: 'x',
    file: 'My Ubuntu.iso',
    bootPath: 'isos/My Ubuntu.iso',
    size: 1,
    state: 'ready',
    sha256: 'cd'.repeat(32),
    name: 'Ubuntu',
    method: 'extracted',
    overridden: false,
    menuId: 'lib-x',
    inspection: {
      family: 'ubuntu-casper',
      familyLabel: 'casper',
      volumeId: 'Ubuntu',
      bootsBios: true,
      bootsUefi: true,
      plans: [
        {
          method: 'extracted',
          firmware: 'both',
          reason: 'r',
          extract: ['casper/vmlinuz', 'casper/initrd'],
          kernel: 'casper/vmlinuz',
          initrds: ['casper/initrd'],
          cmdline: 'ip=dhcp url={iso}',
        },
      ],
    },
  };
  const e = libraryContribution([iso]).menus[0]!.entries[0]!;
  assert.ok(e.kind === 'iso');
  assert.equal(e.cmdline, 'ip=dhcp url=${base}/isos/My%20Ubuntu.iso');
});
