import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withContributions } from '../../../services/menu/contributions.js';
import { defaultMenuConfig, menuConfigSchema } from '../../../services/menu/model.js';
import { renderIpxeScript } from '../../../services/menu/render-ipxe.js';
import { libraryContribution } from '../../../services/library/library-menu.js';
import type { LibraryIsoView } from '../../../services/library/views.js';

const sha = 'ab'.repeat(32);
const mini: LibraryIsoView = {
  id: 'mini-123456',
  file: 'mini.iso',
  bootPath: 'isos/mini.iso',
  size: 1000,
  state: 'ready',
  sha256: sha,
  name: 'Debian mini',
  method: 'extracted',
  overridden: false,
  menuId: 'lib-mini-123456',
  inspection: {
    family: 'debian-installer',
    familyLabel: 'Debian installer (netboot mini.iso)',
    volumeId: 'Debian mini',
    bootsBios: true,
    bootsUefi: true,
    plans: [
      {
        method: 'extracted',
        firmware: 'both',
        reason: 'r',
        extract: ['linux', 'initrd.gz'],
        kernel: 'linux',
        initrds: ['initrd.gz'],
        cmdline: 'url={iso} tree={tree}',
      },
      { method: 'sanboot', firmware: 'both', reason: 'r', extract: [], initrds: [], cmdline: '' },
    ],
  },
};

test('each ready ISO gets its own submenu, the method in use first; growing ones are left out', () => {
  const growing: LibraryIsoView = { ...mini, id: 'g', file: 'g.iso', state: 'growing', menuId: undefined };
  const c = libraryContribution([mini, growing]);
  assert.deepEqual(
    c.rootEntries.map((e) => e.id),
    ['lib-header', 'lib-mini-123456-menu'],
  );
  assert.equal(c.menus.length, 1);
  const menu = c.menus[0]!;
  assert.equal(menu.default, 'lib-mini-123456-k');
  assert.deepEqual(
    menu.entries.map((e) => e.id),
    ['lib-mini-123456-k', 'lib-mini-123456-s'],
  );
  const k = menu.entries[0]!;
  assert.ok(k.kind === 'iso' && k.method === 'extracted');
  assert.equal(k.kernel, `bootlab-library/${sha.slice(0, 32)}/extracted/linux`);
  assert.equal(
    k.cmdline,
    `url=\${base}/isos/mini.iso tree=\${base}/bootlab-library/${sha.slice(0, 32)}/extracted`,
  );
  // An override puts the chosen method first.
  const over = libraryContribution([{ ...mini, method: 'sanboot', overridden: true }]);
  assert.equal(over.menus[0]!.default, 'lib-mini-123456-s');
});

test('contributions merge into the served menu (valid, rendered) without touching the stored one', () => {
  const stored = defaultMenuConfig();
  const merged = withContributions(stored, [{ contribution: () => libraryContribution([mini]) }]);
  assert.equal(stored.menus.length, 1, 'the stored config is unchanged');
  assert.doesNotThrow(() => menuConfigSchema.parse(merged));
  const script = renderIpxeScript(merged, { httpBase: 'http://10.0.0.1:8080' });
  assert.match(script, /item lib-mini-123456-menu Debian mini \(mini\.iso\)/);
  assert.match(script, /:m-lib-mini-123456/);
  assert.match(
    script,
    /kernel \$\{base\}\/bootlab-library\/[0-9a-f]{32}\/extracted\/linux initrd=initrd\.gz url=/,
  );
  // A user's own entry with the same id wins.
  const own = menuConfigSchema.parse({
    ...stored,
    menus: [
      {
        ...stored.menus[0]!,
        entries: [...stored.menus[0]!.entries, { id: 'lib-mini-123456-menu', kind: 'shell', label: 'mine' }],
      },
    ],
  });
  const merged2 = withContributions(own, [{ contribution: () => libraryContribution([mini]) }]);
  assert.equal(merged2.menus[0]!.entries.filter((e) => e.id === 'lib-mini-123456-menu').length, 1);
});
