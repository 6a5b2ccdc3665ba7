import { test } from 'node:test';
import assert from 'node:assert/strict';
import { menuConfigSchema } from '../../../services/menu/model.js';
import { renderPxelinuxConfig } from '../../../services/menu/render-pxelinux.js';
import { createPxelinuxFileProvider } from '../../../services/menu/provider.js';
import { assertGolden, loadFixtureConfig } from './golden.js';

test('pxelinux.cfg/default for every entry kind renders as reviewed (golden all-kinds.pxelinux.cfg)', () => {
  const text = renderPxelinuxConfig(loadFixtureConfig('all-kinds.json'), {
    httpBase: 'http://10.77.0.1:8080',
  });
  // ${base} is iPXE's; pxelinux gets the real address.
  assert.match(text, /^ {2}APPEND boot=live fetch=http:\/\/10\.77\.0\.1:8080\/live\/filesystem\.squashfs$/m);
  assertGolden('all-kinds.pxelinux.cfg', text);
});

test('pxelinux: UEFI-only entries and iPXE-only kinds become comments; timeout in tenths', () => {
  const cfg = menuConfigSchema.parse({
    autoRescue: false,
    menus: [
      {
        id: 'main',
        title: 'Legacy',
        timeout: 0,
        entries: [
          { id: 'efi', kind: 'binary', label: 'EFI tool', efi: 'x.efi' },
          { id: 'k', kind: 'linux', label: 'Kernel', kernel: 'k', key: 'k', password: 'pw' },
        ],
      },
    ],
  });
  assert.equal(
    renderPxelinuxConfig(cfg),
    [
      '# Bootlab pxelinux menu. Generated: edit the menu in Bootlab, not here.',
      'UI menu.c32',
      'PROMPT 0',
      'TIMEOUT 0',
      'ONTIMEOUT k',
      'MENU TITLE Legacy',
      '',
      '# efi: left out (UEFI only)',
      'LABEL k',
      '  MENU LABEL ^Kernel',
      '  MENU DEFAULT',
      '  MENU PASSWD pw',
      '  KERNEL k',
      '',
    ].join('\n'),
  );
});

test('the virtual pxelinux.cfg/default follows the current menu', async () => {
  let cfg = loadFixtureConfig('all-kinds.json');
  const provider = createPxelinuxFileProvider({ getConfig: () => cfg });
  assert.equal(await provider('pxelinux.cfg/other', { address: '10.0.0.2' }), undefined);
  const read = async (): Promise<string> => {
    const file = await provider('/pxelinux.cfg/default', { address: '10.0.0.2' });
    assert.ok(file);
    const chunks: Buffer[] = [];
    for await (const c of file.open()) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    assert.equal(all.length, file.size);
    const part: Buffer[] = [];
    for await (const c of file.open({ start: 2, end: 7 })) part.push(c as Buffer);
    assert.equal(Buffer.concat(part).toString(), all.subarray(2, 8).toString(), 'range end is inclusive');
    return all.toString();
  };
  assert.match(await read(), /MENU TITLE Bench menu/);
  cfg = { ...cfg, menus: cfg.menus.map((m) => (m.id === 'main' ? { ...m, title: 'Changed' } : m)) };
  assert.match(await read(), /MENU TITLE Changed/);
});
