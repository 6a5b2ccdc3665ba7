import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequestSchema, recommendedRequest } from '../../../services/builder/request.js';

const base = { sourceId: 'tarball-0123456789ab', targets: ['bin/undionly.kpxe'] };

function refusal(input: unknown): string {
  const r = buildRequestSchema.safeParse(input);
  assert.equal(r.success, false, `expected a refusal for ${JSON.stringify(input)}`);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
}

test('defaults: generated script, no features', () => {
  const r = buildRequestSchema.parse(base);
  assert.deepEqual(r.script, { kind: 'generated' });
  assert.deepEqual(r.features, []);
});

test('unsafe values never reach make: $(shell), spaces, options and paths are refused with a reason', () => {
  assert.match(refusal({ ...base, debug: '$(shell touch /tmp/x)' }), /debug: must look like peermux:2/);
  assert.match(refusal({ ...base, debug: 'peermux:2 V=1' }), /debug/);
  assert.match(refusal({ ...base, cross: 'aarch64 -o /etc/passwd' }), /cross: a compiler prefix/);
  assert.match(refusal({ ...base, cross: '$(CC)-' }), /cross/);
  assert.match(
    refusal({ ...base, targets: ['bin/../../etc/passwd'] }),
    /targets.0: must be one of the catalogue/,
  );
  assert.match(refusal({ ...base, targets: ['EMBED=/etc/shadow'] }), /targets.0/);
  assert.match(refusal({ ...base, features: ['syslog', 'rootkit'] }), /features.1: must be one of/);
  assert.match(refusal({ ...base, bannerTimeout: -1 }), /bannerTimeout/);
  assert.match(refusal({ ...base, bannerTimeout: 1.5 }), /bannerTimeout/);
  assert.match(refusal({ ...base, logLevel: 'LOG_ALL); system("x' }), /logLevel/);
  assert.match(refusal({ ...base, sourceId: '../../etc' }), /sourceId: a source id/);
  assert.match(refusal({ ...base, trust: ['not a certificate'] }), /trust.0: must be one PEM certificate/);
  assert.match(refusal({ ...base, targets: [] }), /choose at least one target/);
  assert.match(refusal({ ...base, script: { kind: 'custom', text: 'x'.repeat(70_000) } }), /at most 64 KiB/);
  assert.match(
    refusal({
      ...base,
      targets: ['bin/undionly.kpxe', 'bin-arm64-efi/ipxe.efi'],
      cross: 'aarch64-linux-gnu-',
    }),
    /cross: a cross-compiler prefix applies to one architecture/,
  );
});

test('a PEM certificate and a DEBUG list are accepted', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nAbCd==\n-----END CERTIFICATE-----\n';
  const r = buildRequestSchema.parse({ ...base, trust: [pem], debug: 'peermux:2,httpcore' });
  assert.equal(r.trust?.length, 1);
});

test('the recommended set: BIOS, UEFI x64 (both), ARM64 when the cross compiler is there', () => {
  const r = recommendedRequest('tarball-0123456789ab', true);
  assert.deepEqual(r.targets, [
    'bin/undionly.kpxe',
    'bin-x86_64-efi/ipxe.efi',
    'bin-x86_64-efi/snponly.efi',
    'bin-arm64-efi/ipxe.efi',
  ]);
  assert.deepEqual(r.features, ['syslog', 'https', 'peerdist']);
  assert.equal(r.bannerTimeout, 0);
  assert.equal(recommendedRequest('tarball-0123456789ab', false).targets.length, 3);
});
