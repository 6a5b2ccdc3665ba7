import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactKey, treeKey } from '../../../services/builder/cache-key.js';

const tree = {
  source: 'f1',
  binDir: 'bin',
  configName: 'bootlab',
  overlay: { 'console.h': '#define CONSOLE_SYSLOG\n' },
  cross: null,
};
const art = {
  tree: 'abc',
  commit: '0ab2277c40f1de56c736b9e7db7ee23d52509ec5' as string | null,
  target: 'bin/undionly.kpxe',
  embed: '#!ipxe\ndhcp\n',
  trust: [] as string[],
  cert: [] as string[],
  debug: null as string | null,
};

test('keys are stable and ignore field order', () => {
  assert.equal(
    treeKey(tree),
    treeKey({ cross: null, overlay: tree.overlay, configName: 'bootlab', binDir: 'bin', source: 'f1' }),
  );
  assert.match(treeKey(tree), /^[0-9a-f]{20}$/);
  assert.equal(artifactKey(art), artifactKey({ ...art }));
});

test('a work tree per configuration: overlay, BIN dir, CONFIG, cross or source files change the tree key', () => {
  const k = treeKey(tree);
  assert.notEqual(treeKey({ ...tree, overlay: {} }), k);
  assert.notEqual(treeKey({ ...tree, binDir: 'bin-x86_64-efi' }), k);
  assert.notEqual(treeKey({ ...tree, configName: 'qemu' }), k);
  assert.notEqual(treeKey({ ...tree, cross: 'aarch64-linux-gnu-' }), k);
  assert.notEqual(treeKey({ ...tree, source: 'f2' }), k);
});

test('script, certificates, DEBUG, commit and target change only the artifact key (same tree: a quick rebuild)', () => {
  const k = artifactKey(art);
  assert.notEqual(artifactKey({ ...art, embed: '#!ipxe\nshell\n' }), k);
  assert.notEqual(artifactKey({ ...art, embed: null }), k);
  assert.notEqual(artifactKey({ ...art, debug: 'peermux:2' }), k);
  assert.notEqual(artifactKey({ ...art, trust: ['PEM'] }), k);
  assert.notEqual(artifactKey({ ...art, target: 'bin/undionly.kkpxe' }), k);
  assert.notEqual(artifactKey({ ...art, tree: 'abd' }), k);
  assert.notEqual(artifactKey({ ...art, commit: null }), k, 'the version string is built in');
});
