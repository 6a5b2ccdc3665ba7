import { test } from 'node:test';
import assert from 'node:assert/strict';
import { menuConfigSchema } from '../../../services/menu/model.js';
import { grubPath, grubUnavailableReason, renderGrubConfig } from '../../../services/menu/render-grub.js';
import { quickMenuConfig } from '../../../services/menu/quick.js';
import { grubHostStart } from '../../../services/menu/grub-config-file.js';

/** The GRUB config Secure Boot machines get (shim -> GRUB): what can work, and why the rest cannot. */

const menu = menuConfigSchema.parse({
  root: 'main',
  menus: [
    {
      id: 'main',
      title: 'Bench',
      timeout: 5,
      default: 'winpe',
      entries: [
        {
          id: 'winpe',
          kind: 'winpe',
          label: 'Windows PE',
          bcd: 'w/bcd',
          bootSdi: 'w/boot.sdi',
          bootWim: 'w/boot.wim',
        },
        {
          id: 'debian',
          kind: 'linux',
          label: 'Debian "live"',
          kernel: 'debian/vmlinuz',
          initrds: ['debian/initrd.gz'],
          cmdline: 'boot=live fetch=${base}/x.squashfs quiet a;b',
        },
        { id: 'iso', kind: 'iso', label: 'Rescue ISO', iso: 'rescue.iso' },
        { id: 'memtest', kind: 'binary', label: 'Memtest', bios: 'memtest.bin' },
        { id: 'arm', kind: 'linux', label: 'ARM only', kernel: 'arm/Image', arch: ['arm64'] },
        { id: 'tls', kind: 'linux', label: 'Over HTTPS', kernel: 'https://example.org/vmlinuz' },
        { id: 'sep', kind: 'separator' },
        { id: 'tools', kind: 'submenu', label: 'Tools', menu: 'tools' },
        { id: 'disk', kind: 'local', label: 'Local disk' },
        { id: 'shell', kind: 'shell', label: 'iPXE shell' },
        { id: 'off', kind: 'poweroff', label: 'Power off' },
      ],
    },
    { id: 'tools', title: 'Tools', entries: [{ id: 'again', kind: 'reboot', label: 'Reboot' }] },
  ],
});

test('Linux entries become linux/initrd from the TFTP root; firmware actions map to GRUB commands', () => {
  const cfg = renderGrubConfig(menu, { httpBase: 'http://10.77.0.1:8080' });
  assert.match(cfg, /^set base="http:\/\/10\.77\.0\.1:8080"$/m);
  assert.match(cfg, /menuentry "Debian \\"live\\"" --id debian \{/);
  assert.match(cfg, /^ {2}linux \/debian\/vmlinuz boot=live fetch=\$\{base\}\/x\.squashfs quiet 'a;b'$/m);
  assert.match(cfg, /^ {2}initrd \/debian\/initrd\.gz$/m);
  assert.match(cfg, /menuentry "Local disk" --id disk \{\n {2}exit\n\}/);
  assert.match(cfg, /menuentry "Power off" --id off \{\n {2}halt\n\}/);
  assert.match(cfg, /submenu "Tools" --id tools \{[\s\S]*menuentry "Reboot" --id again/);
});

test('entries that cannot work under Secure Boot are listed with the reason, never chosen as default', () => {
  const cfg = renderGrubConfig(menu);
  for (const [label, why] of [
    ['Windows PE', 'wimboot, which is not signed'],
    ['Rescue ISO', 'sanboot'],
    ['Memtest', 'BIOS machine'],
    ['ARM only', 'arm64 UEFI'],
    ['Over HTTPS', 'cannot fetch https://example.org/vmlinuz'],
    ['iPXE shell', 'iPXE is not signed'],
  ] as const) {
    assert.match(cfg, new RegExp(`menuentry "${label} \\(not available with Secure Boot\\)"`), label);
    assert.ok(cfg.includes(why), `${label}: ${why}`);
  }
  // The configured default (Windows PE) cannot run here: the first entry that works is the default.
  assert.match(cfg, /^set default="debian"$/m);
  assert.match(cfg, /^set timeout=5$/m);
});

test('quick mode boots its entry at once', () => {
  const cfg = renderGrubConfig(
    quickMenuConfig({ kernel: 'quick/0-vmlinuz', initrds: ['quick/1-initrd.gz'], cmdline: 'console=ttyS0' }),
    {
      startEntry: 'quick',
    },
  );
  assert.match(cfg, /^set default="quick"$/m);
  assert.match(cfg, /^set timeout=0$/m);
  assert.match(cfg, /linux \/quick\/0-vmlinuz console=ttyS0\n {2}initrd \/quick\/1-initrd\.gz/);
});

test('paths: boot-root relative, tftp:// and http:// on port 80 only', () => {
  assert.equal(grubPath('a/../b//c'), '/a/b/c');
  assert.equal(grubPath('tftp://10.0.0.5/k'), '(tftp,10.0.0.5)/k');
  assert.equal(grubPath('http://10.0.0.5/k'), '(http,10.0.0.5)/k');
  assert.equal(grubPath('http://10.0.0.5:8080/k'), undefined);
  assert.equal(grubPath('https://10.0.0.5/k'), undefined);
  assert.equal(
    grubUnavailableReason({
      id: 'p',
      kind: 'linux',
      label: 'x',
      firmware: 'both',
      kernel: 'k',
      initrds: [],
      cmdline: '',
      password: 'pw',
    }),
    'asks for a password, which only the iPXE menu can do',
  );
});

test('host assignments: another menu or one entry; a next-boot assignment is not applied', () => {
  const withHosts = menuConfigSchema.parse({
    ...menu,
    hosts: [
      { mac: '52:54:00:00:00:01', action: { type: 'menu', menu: 'tools' } },
      { mac: '52:54:00:00:00:02', action: { type: 'entry', entry: 'debian' } },
      { mac: '52:54:00:00:00:03', action: { type: 'next-boot', entry: 'debian' } },
    ],
  });
  const toolsStart = grubHostStart(withHosts, '52:54:00:00:00:01');
  assert.equal(toolsStart?.menu, 'tools');
  const tools = renderGrubConfig(withHosts, { startMenu: toolsStart?.menu });
  assert.match(tools, /# menu: Tools/);
  assert.doesNotMatch(tools, /Debian/);
  const entry = grubHostStart(withHosts, '52:54:00:00:00:02');
  const debian = renderGrubConfig(withHosts, { startEntry: entry?.entry });
  assert.match(debian, /^set default="debian"$/m);
  assert.match(debian, /^set timeout=0$/m);
  const next = grubHostStart(withHosts, '52:54:00:00:00:03');
  assert.equal(next?.entry, undefined);
  assert.match(next?.note ?? '', /not applied/);
  assert.equal(grubHostStart(withHosts, '52:54:00:00:00:99'), undefined);
});
