import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedScript, scriptHttpPort, validateScript } from '../../../services/builder/embed-script.js';
import {
  checkToolchain,
  platformAdvice,
  toolchainMessage,
  type ToolProbe,
} from '../../../services/builder/toolchain.js';
import { MakeProgress, estimateTotal } from '../../../services/builder/make-progress.js';
import { OutputBatcher, RingLog } from '../../../services/builder/ring-log.js';
import { parseSourceArg } from '../../../services/builder/sources.js';

test('generated script: DHCP with retries, then the server DHCP named (ProxyDHCP first), no fixed address', () => {
  const s = generatedScript({ httpPort: 8080 });
  assert.deepEqual(validateScript(s), []);
  assert.match(s, /^#!ipxe\n/);
  assert.match(s, /dhcp && goto bootlab_chain \|\|/);
  assert.match(s, /inc bootlab-tries/);
  assert.match(
    s,
    /isset \$\{proxydhcp\/next-server\} && set bootlab-server \$\{proxydhcp\/next-server\} \|\| set bootlab-server \$\{next-server\}/,
  );
  assert.match(s, /chain --autofree --replace http:\/\/\$\{bootlab-server\}:8080\/boot\.ipxe\?mac=/);
  assert.match(s, /chain --autofree --replace tftp:\/\/\$\{bootlab-server\}\/boot\.ipxe/);
  assert.doesNotMatch(s, /\b\d+\.\d+\.\d+\.\d+\b/, 'no IPv4 address is built in');
  assert.equal(scriptHttpPort(s), 8080);
  const s80 = generatedScript({ httpPort: 80 });
  assert.match(s80, /http:\/\/\$\{bootlab-server\}\/boot\.ipxe/);
  assert.equal(scriptHttpPort(s80), 80);
  assert.equal(scriptHttpPort('#!ipxe\nchain http://10.0.0.1/x\n'), null);
});

test('script validation: every problem in words, with the line', () => {
  assert.match(validateScript('')[0]!, /empty/);
  assert.match(validateScript('dhcp\nchain http://x/y\n')[0]!, /first line must be exactly "#!ipxe"/);
  assert.match(
    validateScript('#!ipxe\ngoto nowhere\n').join(' '),
    /Line 2: "goto nowhere" has no ":nowhere" line/,
  );
  assert.deepEqual(validateScript('#!ipxe\n:top\ndhcp || goto top\nchain http://x/${mac}\n'), []);
  assert.deepEqual(validateScript('#!ipxe\ngoto ${target}\n'), [], 'a computed label is left to iPXE');
  assert.match(validateScript('#!ipxe\necho \u0007bell\n').join(' '), /Line 2 contains a control character/);
  assert.match(validateScript('#!ipxe\n' + 'x'.repeat(5000) + '\n').join(' '), /Line 2 is longer than 4096/);
});

const probe = (missing: string[]): ToolProbe => ({
  has: (cmd) => !missing.includes(cmd),
  hasHeader: (h) => !missing.includes(h),
  anyFile: (paths) => !paths.some((p) => missing.some((m) => p.endsWith(m))),
});

test('toolchain: a missing piece names its package and the install command, before make', () => {
  const r = checkToolchain(['bin/undionly.kpxe', 'bin-x86_64-efi/ipxe.efi'], {
    probe: probe(['lzma.h']),
    platform: 'linux',
  });
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.problems.map((p) => [p.tool, p.package, p.install]),
    [['lzma.h', 'liblzma-dev', 'sudo apt-get install liblzma-dev']],
  );
  assert.match(
    toolchainMessage(r),
    /missing lzma\.h \(BIOS images are compressed with LZMA.*package liblzma-dev\)\. Install with: sudo apt-get install liblzma-dev/,
  );
  // EFI alone needs no lzma (docs/ipxe-notes.md §4).
  assert.equal(
    checkToolchain(['bin-x86_64-efi/ipxe.efi'], { probe: probe(['lzma.h']), platform: 'linux' }).ok,
    true,
  );
  const arm = checkToolchain(['bin-arm64-efi/ipxe.efi'], {
    probe: probe(['aarch64-linux-gnu-gcc', 'make']),
    platform: 'linux',
  });
  assert.deepEqual(
    arm.problems.map((p) => p.package),
    ['make', 'gcc-aarch64-linux-gnu'],
  );
  assert.equal(arm.installCommand, 'sudo apt-get install make gcc-aarch64-linux-gnu');
  const iso = checkToolchain(['bin/ipxe.iso'], {
    probe: probe(['isolinux.bin', 'xorriso', 'genisoimage', 'mkisofs']),
    platform: 'linux',
  });
  assert.deepEqual(
    iso.problems.map((p) => p.package),
    ['isolinux', 'xorriso'],
  );
  assert.equal(checkToolchain(['bin/ipxe.iso'], { probe: probe([]), platform: 'linux' }).ok, true);
  assert.deepEqual(
    checkToolchain(['bin/undionly.kpxe'], {
      probe: probe(['git']),
      needGit: true,
      platform: 'linux',
    }).problems.map((p) => p.package),
    ['git'],
  );
});

test('toolchain: Windows and macOS say what to do instead', () => {
  const w = checkToolchain(['bin/undionly.kpxe'], { probe: probe([]), platform: 'win32' });
  assert.equal(w.ok, false);
  assert.match(w.platformAdvice!, /WSL 2/);
  assert.match(toolchainMessage(w), /wsl --install -d Debian/);
  assert.match(platformAdvice('darwin')!, /Linux VM or container/);
  assert.equal(platformAdvice('linux'), null);
});

test("progress from make's own lines, split anywhere, with \\r\\n from the pty", () => {
  const p = new MakeProgress(estimateTotal('bin', 1002));
  assert.equal(p.total, 40);
  p.feed('  [DEPS] bin/a.d\r\n  [BUILD] bin/a.o\r\n  [BUI');
  p.feed('LD] bin/b.o\r\n  [HOSTCC] util/zbin\r\n  [LD] bin/undionly.kpxe.tmp\r\n');
  assert.deepEqual(p.snapshot(), { done: 3, total: 40 });
  assert.equal(p.step, '[LD] bin/undionly.kpxe.tmp');
  for (let i = 0; i < 50; i++) p.line('  [BUILD] bin/x.o');
  assert.deepEqual(p.snapshot(), { done: 53, total: 53 }, 'the estimate grows instead of passing 100 %');
  assert.equal(estimateTotal('bin-x86_64-efi', 5000), 8);
});

test('ring log keeps the newest output; the batcher flushes at most ~30 times a second', async () => {
  const log = new RingLog(100);
  for (let i = 0; i < 50; i++) log.append(`line ${i}\n`);
  assert.match(log.text(), /^\[… earlier output dropped …\]/);
  assert.match(log.text(), /line 49\n$/);
  assert.ok(log.text().length < 140);
  const got: string[] = [];
  const b = new OutputBatcher((d) => got.push(d), 34);
  const start = Date.now();
  let n = 0;
  while (Date.now() - start < 300) {
    b.push(`chunk ${n++}\n`);
    await new Promise((r) => setImmediate(r));
  }
  b.flush();
  assert.ok(got.length <= Math.ceil(300 / 34) + 2, `${got.length} flushes for 300 ms`);
  assert.equal(
    got.join(''),
    Array.from({ length: n }, (_, i) => `chunk ${i}\n`).join(''),
    'nothing lost, order kept',
  );
});

test('--source: folder, tarball, or Git URL with #ref', () => {
  assert.deepEqual(parseSourceArg('https://github.com/ipxe/ipxe#v1.21.1'), {
    kind: 'git',
    url: 'https://github.com/ipxe/ipxe',
    ref: 'v1.21.1',
  });
  assert.deepEqual(parseSourceArg('https://github.com/ipxe/ipxe'), {
    kind: 'git',
    url: 'https://github.com/ipxe/ipxe',
  });
  assert.equal(parseSourceArg('test/fixtures/builder/fake-ipxe').kind, 'local');
});
