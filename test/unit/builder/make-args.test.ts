import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequestSchema } from '../../../services/builder/request.js';
import {
  crossFor,
  groupByBinDir,
  inputFiles,
  makeArgs,
  overlayFiles,
} from '../../../services/builder/make-args.js';

const req = buildRequestSchema.parse({
  sourceId: 'tarball-0123456789ab',
  targets: ['bin/undionly.kpxe', 'bin-x86_64-efi/ipxe.efi'],
  features: ['syslog', 'peerdist', 'https'],
  bannerTimeout: 0,
  logLevel: 'notice',
  script: { kind: 'custom', text: '#!ipxe\ndhcp\n' },
});

test('overlay files: golden text per header (config/local/<CONFIG>/general.h, console.h)', () => {
  assert.deepEqual(overlayFiles(req), {
    'console.h':
      "/* Written by Bootlab's builder: overrides iPXE's defaults for this configuration (docs/ipxe-notes.md §4). */\n" +
      '#undef CONSOLE_SYSLOG\n#define CONSOLE_SYSLOG\n#undef LOG_LEVEL\n#define LOG_LEVEL LOG_NOTICE\n',
    'general.h':
      "/* Written by Bootlab's builder: overrides iPXE's defaults for this configuration (docs/ipxe-notes.md §4). */\n" +
      '#undef DOWNLOAD_PROTO_HTTPS\n#define DOWNLOAD_PROTO_HTTPS\n#undef HTTP_ENC_PEERDIST\n#define HTTP_ENC_PEERDIST\n' +
      '#undef BANNER_TIMEOUT\n#define BANNER_TIMEOUT 0\n',
  });
});

test('overlay files: none without features (make creates the empty headers itself)', () => {
  assert.deepEqual(overlayFiles({ features: [] }), {});
});

test('make argv: golden array, one argument per variable, no shell', () => {
  assert.deepEqual(
    makeArgs({
      targets: ['bin/undionly.kpxe'],
      jobs: 2,
      embed: 'bootlab-files/embed.ipxe',
      trust: ['bootlab-files/trust-1.pem'],
      cert: [],
      debug: 'peermux:2',
      cross: undefined,
      gitCommit: '0ab2277c40f1de56c736b9e7db7ee23d52509ec5',
      configName: 'bootlab',
    }),
    [
      '-j2',
      'bin/undionly.kpxe',
      'CONFIG=bootlab',
      'EMBED=bootlab-files/embed.ipxe',
      'TRUST=bootlab-files/trust-1.pem',
      'DEBUG=peermux:2',
      'GITVERSION=0ab2277c40f1de56c736b9e7db7ee23d52509ec5',
    ],
  );
  assert.deepEqual(
    makeArgs({
      targets: ['bin-arm64-efi/ipxe.efi', 'bin-arm64-efi/snponly.efi'],
      jobs: 4,
      embed: null,
      trust: [],
      cert: ['bootlab-files/cert-1.pem'],
      cross: 'aarch64-linux-gnu-',
      configName: 'qemu',
      gitCommit: 'not a commit; rm -rf /',
    }),
    [
      '-j4',
      'bin-arm64-efi/ipxe.efi',
      'bin-arm64-efi/snponly.efi',
      'CONFIG=qemu',
      'CERT=bootlab-files/cert-1.pem',
      'CROSS=aarch64-linux-gnu-',
    ],
  );
});

test('input files: the script and certificates under bootlab-files/', () => {
  assert.deepEqual(Object.keys(inputFiles('#!ipxe\n', { trust: ['A', 'B'], cert: ['C'] })), [
    'bootlab-files/embed.ipxe',
    'bootlab-files/trust-1.pem',
    'bootlab-files/trust-2.pem',
    'bootlab-files/cert-1.pem',
  ]);
  assert.deepEqual(inputFiles(null, {}), {});
});

test('targets group by BIN dir (one work tree each), in request order', () => {
  assert.deepEqual(
    [...groupByBinDir(['bin-x86_64-efi/ipxe.efi', 'bin/undionly.kpxe', 'bin-x86_64-efi/snponly.efi'])],
    [
      ['bin-x86_64-efi', ['bin-x86_64-efi/ipxe.efi', 'bin-x86_64-efi/snponly.efi']],
      ['bin', ['bin/undionly.kpxe']],
    ],
  );
});

test('cross prefix: ARM64 on x86 gets aarch64-linux-gnu-, native builds none, a request wins', () => {
  assert.equal(crossFor('arm64', 'x64'), 'aarch64-linux-gnu-');
  assert.equal(crossFor('arm64', 'arm64'), undefined);
  assert.equal(crossFor('x86_64', 'x64'), undefined);
  assert.equal(crossFor('i386', 'x64'), undefined);
  assert.equal(crossFor('x86_64', 'arm64'), 'x86_64-linux-gnu-');
  assert.equal(crossFor('arm64', 'x64', 'aarch64-none-elf-'), 'aarch64-none-elf-');
});
