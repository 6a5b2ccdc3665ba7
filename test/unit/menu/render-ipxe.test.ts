import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultMenuConfig,
  menuConfigSchema,
  menuEntrySchema,
  type MenuConfig,
  type MenuEntryInput,
} from '../../../services/menu/model.js';
import { renderIpxeScript } from '../../../services/menu/render-ipxe.js';
import { noCheckin } from '../../../services/menu/checkin.js';
import { assertGolden, assertWellFormedIpxe, loadFixtureConfig } from './golden.js';

const BASE = 'http://10.77.0.1:8080';

function oneEntry(entry: MenuEntryInput, extra: Partial<MenuConfig> = {}): MenuConfig {
  return menuConfigSchema.parse({
    menus: [
      { id: 'main', title: 'T', timeout: 3, entries: [{ id: 'local', kind: 'local', label: 'Disk' }, entry] },
    ],
    autoRescue: false,
    ...extra,
  });
}

/** The `:e-<id>` section of a rendered script (up to the next blank line). */
function section(script: string, id: string): string[] {
  const lines = script.split('\n');
  const start = lines.indexOf(`:e-${id}`);
  assert.ok(start >= 0, `no section for ${id}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

test('every entry kind and firmware branch renders as reviewed (golden all-kinds.ipxe)', () => {
  const script = renderIpxeScript(loadFixtureConfig('all-kinds.json'), { httpBase: BASE });
  assertWellFormedIpxe(script);
  assertGolden('all-kinds.ipxe', script);
});

test('hide mode leaves out entries this firmware cannot run instead of greying them out (golden)', () => {
  const config = { ...loadFixtureConfig('all-kinds.json'), unavailable: 'hide' as const };
  const script = renderIpxeScript(config, { httpBase: BASE, checkin: noCheckin });
  assertWellFormedIpxe(script);
  assert.match(script, /^iseq \$\{bl-ok\} 1 && item live-memdisk Live ISO \(memdisk\) \|\|$/m);
  assert.doesNotMatch(script, /item --gap -- Live ISO \(memdisk\)/);
  assertGolden('all-kinds-hide.ipxe', script);
});

test('rendering is deterministic', () => {
  const config = loadFixtureConfig('all-kinds.json');
  assert.equal(
    renderIpxeScript(config, { httpBase: BASE }),
    renderIpxeScript(structuredClone(config), { httpBase: BASE + '/' }),
  );
});

test('linux: kernel with initrd= names, each initrd named, boot, all with failure paths', () => {
  const s = renderIpxeScript(
    oneEntry({
      id: 'deb',
      kind: 'linux',
      label: 'Debian',
      kernel: 'd/linux',
      initrds: ['d/initrd.gz', 'x/initrd.gz'],
      cmdline: 'quiet  console=ttyS0',
    }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(s, 'deb'), [
    ':e-deb',
    'set bl-id deb',
    'set bl-label Debian',
    'kernel ${base}/d/linux initrd=initrd.gz initrd=initrd-2.gz quiet console=ttyS0 || goto bl-failed',
    'initrd --name initrd.gz ${base}/d/initrd.gz || goto bl-failed',
    'initrd --name initrd-2.gz ${base}/x/initrd.gz || goto bl-failed',
    'boot || goto bl-failed',
    'goto bl-failed',
  ]);
});

test('iso: sanboot on both firmwares, memdisk BIOS only with a guard, extracted like linux', () => {
  const san = renderIpxeScript(oneEntry({ id: 'iso', kind: 'iso', label: 'ISO', iso: 'isos/my live.iso' }), {
    httpBase: BASE,
    checkin: noCheckin,
  });
  assert.deepEqual(section(san, 'iso').slice(3), [
    'sanboot --no-describe ${base}/isos/my%20live.iso || goto bl-failed',
    'goto bl-failed',
  ]);
  assert.match(san, /^item iso ISO$/m, 'sanboot runs everywhere: a plain item');

  const mem = renderIpxeScript(
    oneEntry({ id: 'iso', kind: 'iso', label: 'ISO', iso: 'a.iso', method: 'memdisk' }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(mem, 'iso').slice(3), [
    'set bl-ok 1',
    'iseq ${bl-fw} bios || set bl-ok 0',
    'set bl-need BIOS only',
    'iseq ${bl-ok} 1 || goto bl-unusable',
    'kernel ${base}/memdisk iso raw || goto bl-failed',
    'initrd ${base}/a.iso || goto bl-failed',
    'boot || goto bl-failed',
    'goto bl-failed',
  ]);
  assert.match(mem, /^iseq \$\{bl-ok\} 1 && item iso ISO \|\| item --gap -- ISO \(BIOS only\)$/m);

  const ext = renderIpxeScript(
    oneEntry({
      id: 'iso',
      kind: 'iso',
      label: 'ISO',
      iso: 'a.iso',
      method: 'extracted',
      kernel: 'k',
      initrds: ['i'],
    }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(ext, 'iso').slice(3), [
    'kernel ${base}/k initrd=i || goto bl-failed',
    'initrd --name i ${base}/i || goto bl-failed',
    'boot || goto bl-failed',
    'goto bl-failed',
  ]);
});

test('winpe: wimboot then BCD, boot.sdi, boot.wim and extra files under their wimboot names', () => {
  const s = renderIpxeScript(
    oneEntry({
      id: 'pe',
      kind: 'winpe',
      label: 'PE',
      wimboot: 'w/wimboot',
      bcd: 'w/BCD',
      bootSdi: 'w/boot.sdi',
      bootWim: 'w/boot.wim',
      args: 'gui',
      extraFiles: [{ path: 'w/x.cmd', name: 'startnet.cmd' }],
    }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(s, 'pe').slice(3), [
    'kernel ${base}/w/wimboot gui || goto bl-failed',
    'initrd --name BCD ${base}/w/BCD BCD || goto bl-failed',
    'initrd --name boot.sdi ${base}/w/boot.sdi boot.sdi || goto bl-failed',
    'initrd --name boot.wim ${base}/w/boot.wim boot.wim || goto bl-failed',
    'initrd --name startnet.cmd ${base}/w/x.cmd startnet.cmd || goto bl-failed',
    'boot || goto bl-failed',
    'goto bl-failed',
  ]);
});

test('binary with EFI and BIOS files branches on ${bl-fw}; arch limits apply on UEFI only', () => {
  const s = renderIpxeScript(
    oneEntry({
      id: 'mt',
      kind: 'binary',
      label: 'Memtest',
      efi: 'memtest64.efi',
      bios: 'memtest64.bin',
      arch: ['x86_64'],
    }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(s, 'mt').slice(3), [
    'set bl-ok 1',
    'set bl-arch 0',
    'iseq ${buildarch} x86_64 && set bl-arch 1 ||',
    'iseq ${bl-fw} uefi && iseq ${bl-arch} 0 && set bl-ok 0 ||',
    'set bl-need BIOS or x86_64 UEFI',
    'iseq ${bl-ok} 1 || goto bl-unusable',
    'iseq ${bl-fw} uefi && goto e-mt-EFI ||',
    'kernel ${base}/memtest64.bin || goto bl-failed',
    'boot || goto bl-failed',
    'goto bl-failed',
    ':e-mt-EFI',
    'chain ${base}/memtest64.efi || goto bl-failed',
    'goto bl-failed',
  ]);
  assert.match(
    s,
    /^iseq \$\{bl-ok\} 1 && item mt Memtest \|\| item --gap -- Memtest \(BIOS or x86_64 UEFI\)$/m,
  );
});

test('chain, shell, local, reboot, poweroff, submenu: each has a way back or hands over on purpose', () => {
  const cfg = menuConfigSchema.parse({
    autoRescue: false,
    menus: [
      {
        id: 'main',
        title: 'Main',
        entries: [
          { id: 'xyz', kind: 'chain', label: 'netboot.xyz', url: 'http://boot.netboot.xyz' },
          { id: 'sh', kind: 'shell', label: 'Shell' },
          { id: 'disk', kind: 'local', label: 'Disk' },
          { id: 'rb', kind: 'reboot', label: 'Reboot' },
          { id: 'off', kind: 'poweroff', label: 'Off' },
          { id: 'sub', kind: 'submenu', label: 'More', menu: 'more' },
        ],
      },
      { id: 'more', title: 'More', entries: [{ id: 'sh2', kind: 'shell', label: 'Shell 2' }] },
    ],
  });
  const s = renderIpxeScript(cfg, { httpBase: BASE, checkin: noCheckin });
  assertWellFormedIpxe(s);
  assert.deepEqual(section(s, 'xyz').slice(3), [
    'chain http://boot.netboot.xyz || goto bl-failed',
    'goto bl-return',
  ]);
  assert.deepEqual(section(s, 'sh').slice(3), [
    'echo Type exit to go back to the menu.',
    'shell ||',
    'goto bl-return',
  ]);
  assert.deepEqual(section(s, 'disk').slice(3), ['echo Booting from the local disk...', 'exit 0']);
  assert.deepEqual(section(s, 'rb').slice(3), ['reboot || goto bl-failed', 'goto bl-failed']);
  assert.deepEqual(section(s, 'off').slice(3), ['poweroff || goto bl-failed', 'goto bl-failed']);
  assert.deepEqual(section(s, 'sub').slice(3), ['set bl-up-more ${bl-menu}', 'goto m-more']);
  // The submenu has a Back item; Esc in it goes back too.
  assert.match(s, /^item UP-more < Back$/m);
  assert.match(s, /^choose --default sh2 --timeout \$\{bl-to\} bl-choice \|\| goto e-UP-more$/m);
  // Esc in the start menu opens the shell, and `exit` comes back to the menu.
  assert.match(s, /^choose --default xyz --timeout \$\{bl-to\} bl-choice \|\| goto bl-escape$/m);
});

test('the timeout applies the first time a menu is shown only (no boot loop after a failure)', () => {
  const s = renderIpxeScript(defaultMenuConfig(), { httpBase: BASE, checkin: noCheckin });
  assert.match(s, /^isset \$\{bl-seen-main\} && set bl-to 0 \|\| set bl-to 10000\nset bl-seen-main 1\n/m);
});

test('password and HTTP credentials', () => {
  const s = renderIpxeScript(
    oneEntry({
      id: 'k',
      kind: 'linux',
      label: 'K',
      kernel: 'k',
      password: 'pw',
      credentials: { username: 'u', password: 'p' },
    }),
    { httpBase: BASE, checkin: noCheckin },
  );
  assert.deepEqual(section(s, 'k').slice(3, 11), [
    'echo -n Password for ${bl-label}:',
    'set bl-pw',
    'read bl-pw || goto bl-return',
    'iseq ${bl-pw} pw || goto bl-denied',
    'clear bl-pw',
    'set username u',
    'set password p',
    // iPXE sends credentials only from the URL (src/net/tcp/httpbasic.c), so the download URL carries them.
    'kernel http://${username:uristring}:${password:uristring}@10.77.0.1:8080/k || goto bl-failed',
  ]);
  assert.match(s, /:bl-return\nclear username \|\|\nclear password \|\|\n/);
});

test('check-in lines come from the HTTP helper: chosen, booting, failed with ${bl-id}', () => {
  const s = renderIpxeScript(oneEntry({ id: 'k', kind: 'linux', label: 'K', kernel: 'k' }), {
    httpBase: BASE,
  });
  assert.match(
    s,
    /^imgfetch --name bootlab-checkin \$\{base\}\/checkin\?mac=\$\{netX\/mac:hexhyp\}&ip=\$\{netX\/ip\}&event=menu && imgfree bootlab-checkin \|\|$/m,
  );
  const sec = section(s, 'k');
  assert.ok(sec[3]!.includes('event=chosen&entry=k'));
  assert.ok(sec[5]!.includes('event=booting&entry=k'), 'booting after the downloads, before boot');
  assert.equal(sec[6], 'boot || goto bl-failed');
  assert.match(s, /event=failed&entry=\$\{bl-id\}/);
});

test('a host start entry jumps straight to it; failures still lead back to the menu', () => {
  const s = renderIpxeScript(oneEntry({ id: 'k', kind: 'linux', label: 'K', kernel: 'k' }), {
    httpBase: BASE,
    checkin: noCheckin,
    start: { type: 'entry', entry: 'k' },
    notes: ['52:54:00:00:00:01: next boot only: k'],
  });
  assertWellFormedIpxe(s);
  assert.match(s, /^# 52:54:00:00:00:01: next boot only: k\n/m);
  assert.match(s, /^set bl-menu m-main\ngoto e-k$/m);
});

test('display text cannot break the script: operators, comments and ${ are neutralised', () => {
  const entry = menuEntrySchema.parse({ id: 'x', kind: 'shell', label: 'A && B || #C ${evil}' });
  const s = renderIpxeScript(oneEntry(entry), { httpBase: BASE, checkin: noCheckin });
  assert.match(s, /^item x A & B \| No\.C \$ \{evil\}$/m);
});

test('a default entry the firmware cannot run falls back to one that runs everywhere', () => {
  const cfg = menuConfigSchema.parse({
    autoRescue: false,
    menus: [
      {
        id: 'main',
        title: 'M',
        default: 'mem',
        entries: [
          { id: 'sh', kind: 'shell', label: 'S' },
          { id: 'mem', kind: 'iso', label: 'M', iso: 'a.iso', method: 'memdisk', firmware: 'bios' },
        ],
      },
    ],
  });
  const s = renderIpxeScript(cfg, { httpBase: BASE, checkin: noCheckin });
  assert.match(
    s,
    /^set bl-def sh\nset bl-ok 1\niseq \$\{bl-fw\} bios \|\| set bl-ok 0\niseq \$\{bl-ok\} 1 && set bl-def mem \|\|\n/m,
  );
  assert.match(s, /^choose --default \$\{bl-def\} --timeout/m);
});

test('detected rescue tools are added to the root menu under a header, unless the id is taken', () => {
  const detected = [
    menuEntrySchema.parse({
      id: 'memtest',
      kind: 'binary',
      label: 'Memtest86+',
      efi: 'bootlab-rescue/memtest86+x64.efi',
    }),
  ];
  const cfg = { ...defaultMenuConfig() };
  const s = renderIpxeScript(cfg, { httpBase: BASE, checkin: noCheckin, detected });
  assert.match(s, /^item --gap -- Rescue tools$/m);
  assert.match(s, /^chain \$\{base\}\/bootlab-rescue\/memtest86\+x64\.efi \|\| goto bl-failed$/m);
  const off = renderIpxeScript(
    { ...cfg, autoRescue: false },
    { httpBase: BASE, checkin: noCheckin, detected },
  );
  assert.doesNotMatch(off, /memtest/);
});
