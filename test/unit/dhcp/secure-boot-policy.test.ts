import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientRequest } from '../../../services/dhcp/codec.js';
import { readClientRequest, type ClientRequest } from '../../../services/dhcp/options.js';
import {
  chooseBoot,
  DEFAULT_FIRST_STAGE,
  SIGNED_FIRST_STAGE,
  type BootPolicyInput,
  type SecureBootChoice,
} from '../../../services/dhcp/policy.js';
import { dhcpConfigSchema } from '../../../services/dhcp/config.js';
import {
  signedChainMissing,
  signedChainProvider,
  SIGNED_CHAIN_FILES,
} from '../../../services/dhcp/signed-chain.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Secure Boot machines get shim instead of iPXE: chosen per network or per MAC (issue 16). */

const SB_MAC = '52:54:00:5b:00:01';
const OTHER_MAC = '52:54:00:5b:00:02';

const input = (secureBoot?: SecureBootChoice, over: Partial<BootPolicyInput> = {}): BootPolicyInput => ({
  serverAddress: '10.77.0.1',
  httpBase: 'http://10.77.0.1:8080',
  scriptPath: '/boot.ipxe',
  firstStage: DEFAULT_FIRST_STAGE,
  overrides: new Map(),
  secureBoot,
  ...over,
});

function client(mac: string, archCode: number, vendor: string, userClass?: string): ClientRequest {
  const opts: [number, Buffer][] = [
    [53, Buffer.from([1])],
    [93, Buffer.from([archCode >> 8, archCode & 255])],
    [60, Buffer.from(vendor)],
  ];
  if (userClass) opts.push([77, Buffer.from(userClass)]);
  return readClientRequest(clientRequest(mac, 7, opts));
}
const pxe = (mac: string, a = 7): ClientRequest =>
  client(mac, a, `PXEClient:Arch:${String(a).padStart(5, '0')}:UNDI:003016`);

test('per-MAC: the listed UEFI x64 machine gets shim, the others iPXE', () => {
  const choice: SecureBootChoice = { allMachines: false, hosts: new Map([[SB_MAC, 'signed']]) };
  const d = chooseBoot(pxe(SB_MAC), input(choice), undefined, 0);
  assert.equal(d?.kind, 'signed-chain');
  assert.equal(d?.file, SIGNED_FIRST_STAGE);
  assert.equal(d?.httpClient, false);
  assert.equal(chooseBoot(pxe(OTHER_MAC), input(choice), undefined, 0)?.file, 'snponly.efi');
});

test('per network: every UEFI x64 machine gets shim, except a MAC set back to iPXE; BIOS and ARM64 keep iPXE', () => {
  const choice: SecureBootChoice = { allMachines: true, hosts: new Map([[OTHER_MAC, 'ipxe']]) };
  assert.equal(chooseBoot(pxe(SB_MAC), input(choice), undefined, 0)?.kind, 'signed-chain');
  assert.equal(chooseBoot(pxe(OTHER_MAC), input(choice), undefined, 0)?.file, 'snponly.efi');
  assert.equal(chooseBoot(pxe(SB_MAC, 0), input(choice), undefined, 0)?.file, 'undionly.kpxe');
  assert.equal(chooseBoot(pxe(SB_MAC, 11), input(choice), undefined, 0)?.file, 'ipxe-arm64.efi');
});

test('UEFI HTTP Boot (arch 16, HTTPClient) on a Secure Boot machine gets the http:// URI of shim', () => {
  const choice: SecureBootChoice = { allMachines: true, hosts: new Map() };
  const d = chooseBoot(client(SB_MAC, 16, 'HTTPClient:Arch:00016:UNDI:003001'), input(choice), undefined, 0);
  assert.equal(d?.kind, 'signed-chain');
  assert.equal(d?.file, `http://10.77.0.1:8080/${SIGNED_FIRST_STAGE}`);
  assert.equal(d?.httpClient, true, 'the reply carries option 60 HTTPClient');
});

test('without the setting nothing changes: arch 16 HTTPClient gets the http:// URI of the x64 first stage', () => {
  const d = chooseBoot(client(SB_MAC, 16, 'HTTPClient:Arch:00016:UNDI:003001'), input(), undefined, 0);
  assert.equal(d?.kind, 'http-url');
  assert.equal(d?.file, 'http://10.77.0.1:8080/snponly.efi');
  assert.equal(d?.httpClient, true);
});

test('a per-host first-stage override still wins over the Secure Boot choice', () => {
  const choice: SecureBootChoice = { allMachines: true, hosts: new Map() };
  const d = chooseBoot(
    pxe(SB_MAC),
    input(choice, { overrides: new Map([[SB_MAC, 'other-shim.efi']]) }),
    undefined,
    0,
  );
  assert.equal(d?.kind, 'override');
  assert.equal(d?.file, 'other-shim.efi');
});

test('config: secureBoot defaults off, MACs are normalised, unknown chains refused', () => {
  const d = dhcpConfigSchema.parse({});
  assert.deepEqual(d.secureBoot, { allMachines: false, hosts: [] });
  const c = dhcpConfigSchema.parse({
    secureBoot: { hosts: [{ mac: '52:54:00:5B:00:01', chain: 'signed' }] },
  });
  assert.equal(c.secureBoot.hosts[0]?.mac, SB_MAC);
  assert.equal(
    dhcpConfigSchema.safeParse({ secureBoot: { hosts: [{ mac: SB_MAC, chain: 'grub' }] } }).success,
    false,
  );
});

test('signed chain files: served from the packages by name, a boot-root file of that name wins', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bootlab-sb-'));
  try {
    const provide = signedChainProvider(root);
    assert.equal(await provide('boot.ipxe', { address: '10.77.0.9' }), undefined, 'only the chain names');
    if (signedChainMissing(root) === undefined) {
      const shim = await provide('/shimx64.efi', { address: '10.77.0.9' });
      assert.ok(shim && shim.size > 100_000, 'shimx64.efi comes from shim-signed');
      assert.ok(
        await provide('grubx64.efi', { address: '10.77.0.9' }),
        'grubx64.efi from grub-efi-amd64-signed',
      );
    }
    writeFileSync(join(root, 'grubx64.efi'), 'mine');
    assert.equal(
      await provide('grubx64.efi', { address: '10.77.0.9' }),
      undefined,
      'the boot root serves its own',
    );
    assert.deepEqual(Object.keys(SIGNED_CHAIN_FILES).sort(), ['grubx64.efi', 'mmx64.efi', 'shimx64.efi']);
    const empty = mkdtempSync(join(tmpdir(), 'bootlab-sb-'));
    const why = signedChainMissing(empty);
    if (why) assert.match(why, /apt-get install/);
    rmSync(empty, { recursive: true, force: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
