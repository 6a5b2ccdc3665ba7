import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretIpxeLine } from '../../../services/stats/ipxe-console.js';

// Verbatim texts from docs/ipxe-notes.md §1, §2 and 3 (after the `<6>host ipxe: ` header).
test('download completions, failures with the ipxe.org code, and the tail-only " ok"', () => {
  assert.deepEqual(interpretIpxeLine('http://10.77.0.1:8080/boot.ipxe... ok'), [
    { kind: 'download-end', url: 'http://10.77.0.1:8080/boot.ipxe', name: 'boot.ipxe', ok: true },
  ]);
  assert.deepEqual(
    interpretIpxeLine('http://10.77.0.1:8080/missing.img... Not found (https://ipxe.org/2d0c6102)'),
    [
      {
        kind: 'download-end',
        url: 'http://10.77.0.1:8080/missing.img',
        name: 'missing.img',
        ok: false,
        error: 'Not found (https://ipxe.org/2d0c6102)',
        errorCode: '2d0c6102',
      },
    ],
  );
  assert.deepEqual(interpretIpxeLine(' ok'), [{ kind: 'download-end', ok: true }]);
  assert.deepEqual(interpretIpxeLine('vmlinuz : 3000000 bytes "console=ttyS0"'), []);
  assert.deepEqual(interpretIpxeLine('No image selected'), []);
});

test('Could not select / boot mark a failure with the reason', () => {
  assert.deepEqual(interpretIpxeLine('Could not select: Exec format error (https://ipxe.org/2e008008)'), [
    {
      kind: 'could-not',
      what: 'select',
      error: 'Exec format error (https://ipxe.org/2e008008)',
      errorCode: '2e008008',
    },
  ]);
  assert.equal(
    interpretIpxeLine('Could not boot: No such file or directory (https://ipxe.org/2d12608e)')[0]!.kind,
    'could-not',
  );
});

test('LOG_LEVEL lines and the 69%Downloaded merge', () => {
  assert.deepEqual(interpretIpxeLine('Executing "vmlinuz"'), [{ kind: 'executing', name: 'vmlinuz' }]);
  assert.deepEqual(interpretIpxeLine('Downloaded "initrd.img"'), [
    { kind: 'downloaded', name: 'initrd.img' },
  ]);
  assert.deepEqual(interpretIpxeLine('Download of "x.img" failed: Connection reset'), [
    { kind: 'download-failed', name: 'x.img', error: 'Connection reset' },
  ]);
  assert.deepEqual(interpretIpxeLine('http://10.0.2.2:8080/vmlinuz... 69%Downloaded "vmlinuz"'), [
    { kind: 'download-open', url: 'http://10.0.2.2:8080/vmlinuz', name: 'vmlinuz' },
    { kind: 'downloaded', name: 'vmlinuz' },
  ]);
});

test('PeerDist figures: progress tail in a 127-character line and PEERMUX debug lines', () => {
  const long =
    'http://10.77.0.1:8090/images/ubuntu-24.04.1-live-server-amd64/casper/netboot/amd64/hwe-24.04/vmlinuz... 13% [ 88% from 1 peers]';
  assert.deepEqual(interpretIpxeLine(long), [
    { kind: 'peers', figures: { percentFromPeers: 88, peers: 1 } },
    { kind: 'download-open', url: long.slice(0, long.indexOf('...')), name: 'vmlinuz' },
  ]);
  assert.deepEqual(interpretIpxeLine(`${long} ok`)[1], {
    kind: 'download-end',
    url: long.slice(0, long.indexOf('...')),
    name: 'vmlinuz',
    ok: true,
  });
  assert.deepEqual(interpretIpxeLine('http://10.77.0.1:8090/vmlinuz...  96% [ 51% from 1 peers]')[0], {
    kind: 'peers',
    figures: { percentFromPeers: 51, peers: 1 },
  });
  assert.deepEqual(interpretIpxeLine('PEERMUX 0x444668 downloaded 23/46 from 1 peers'), [
    { kind: 'peers', figures: { fromPeers: 23, blocks: 46, peers: 1, percentFromPeers: 50 } },
  ]);
});
