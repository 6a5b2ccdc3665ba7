import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientRequest, decodePacket } from '../../../services/dhcp/codec.js';
import { readClientRequest, type ClientRequest } from '../../../services/dhcp/options.js';
import {
  chooseBoot,
  DEFAULT_FIRST_STAGE,
  isIpxeBinary,
  type BootPolicyInput,
} from '../../../services/dhcp/policy.js';
import { capture } from './fixtures.js';

const input = (over: Partial<BootPolicyInput> = {}): BootPolicyInput => ({
  serverAddress: '10.77.0.1',
  httpBase: 'http://10.77.0.1:8080',
  scriptPath: '/boot.ipxe',
  firstStage: DEFAULT_FIRST_STAGE,
  overrides: new Map(),
  ...over,
});

function client(opts: Record<number, Buffer>, mac = '52:54:00:aa:00:01', xid = 1): ClientRequest {
  const p = clientRequest(mac, xid, [
    [53, Buffer.from([1])],
    ...Object.entries(opts).map(([k, v]) => [Number(k), v] as [number, Buffer]),
  ]);
  return readClientRequest(p);
}
const arch = (n: number): Buffer => Buffer.from([n >> 8, n & 255]);
const pxe = (n: number): Buffer => Buffer.from(`PXEClient:Arch:${String(n).padStart(5, '0')}:UNDI:003000`);

test('captured clients get the right first stage or the script (golden packets)', () => {
  const cases: [string, number, string][] = [
    ['seabios-ipxe-rom', 0, 'http://10.77.0.1:8080/boot.ipxe'], // QEMU's iPXE ROM is iPXE already
    ['ovmf-pxe', 0, 'http://10.77.0.1:8080/boot.ipxe'], // iPXE EFI ROM inside OVMF
    ['ovmf-pxe', 3, 'snponly.efi'], // OVMF's own PXE client
    // iPXE 2.x built from source: DISCOVER, DISCOVER, REQUEST, BIOS and x64 UEFI
    ['ipxe2-bios', 0, 'http://10.77.0.1:8080/boot.ipxe'],
    ['ipxe2-bios', 1, 'http://10.77.0.1:8080/boot.ipxe'],
    ['ipxe2-bios', 2, 'http://10.77.0.1:8080/boot.ipxe'],
    ['ipxe2-efi', 0, 'http://10.77.0.1:8080/boot.ipxe'],
    ['ipxe2-efi', 1, 'http://10.77.0.1:8080/boot.ipxe'],
    ['ipxe2-efi', 2, 'http://10.77.0.1:8080/boot.ipxe'],
  ];
  for (const [name, i, file] of cases) {
    const d = chooseBoot(readClientRequest(decodePacket(capture(name, i))), input(), undefined, 0);
    assert.equal(d?.file, file, `${name}#${i}`);
  }
});

test('firmware by option 93: BIOS, IA32, x64 (7 and 9), ARM32, ARM64', () => {
  const expect: [number, string][] = [
    [0, 'undionly.kpxe'],
    [6, 'ipxe-i386.efi'],
    [7, 'snponly.efi'],
    [9, 'snponly.efi'],
    [10, 'ipxe-arm32.efi'],
    [11, 'ipxe-arm64.efi'],
  ];
  for (const [a, file] of expect) {
    const d = chooseBoot(client({ 93: arch(a), 60: pxe(a) }), input(), undefined, 0);
    assert.equal(d?.kind, 'first-stage');
    assert.equal(d?.file, file, `arch ${a}`);
  }
  const efi = chooseBoot(
    client({ 93: arch(7) }),
    input({ firstStage: { ...DEFAULT_FIRST_STAGE, 'efi-x64': 'ipxe.efi' } }),
    undefined,
    0,
  );
  assert.equal(efi?.file, 'ipxe.efi');
  assert.equal(
    chooseBoot(client({ 93: arch(0x27) }), input(), undefined, 0),
    undefined,
    'unknown arch: nothing',
  );
});

test('UEFI HTTP boot (arch 16 or HTTPClient) gets an http:// URL and the HTTPClient marker', () => {
  const d = chooseBoot(
    client({ 93: arch(16), 60: Buffer.from('HTTPClient:Arch:00016:UNDI:003001') }),
    input(),
    undefined,
    0,
  );
  assert.equal(d?.kind, 'http-url');
  assert.equal(d?.file, 'http://10.77.0.1:8080/snponly.efi');
  assert.equal(d?.httpClient, true);
  const arm = chooseBoot(client({ 93: arch(19) }), input(), undefined, 0);
  assert.equal(arm?.file, 'http://10.77.0.1:8080/ipxe-arm64.efi');
  assert.equal(chooseBoot(client({ 93: arch(16) }), input({ httpBase: null }), undefined, 0), undefined);
});

test('iPXE (user class or option 175) gets the script URL; TFTP when iPXE lacks HTTP or HTTP is down', () => {
  const byUserClass = chooseBoot(client({ 93: arch(7), 77: Buffer.from('iPXE') }), input(), undefined, 0);
  assert.deepEqual([byUserClass?.kind, byUserClass?.file], ['script', 'http://10.77.0.1:8080/boot.ipxe']);
  const by175 = chooseBoot(client({ 175: Buffer.from([0x13, 1, 1]) }), input(), undefined, 0);
  assert.equal(by175?.file, 'http://10.77.0.1:8080/boot.ipxe');
  const noHttp = chooseBoot(client({ 175: Buffer.from([0x15, 1, 1]) }), input(), undefined, 0);
  assert.equal(noHttp?.file, 'boot.ipxe');
  const httpDown = chooseBoot(client({ 77: Buffer.from('iPXE') }), input({ httpBase: null }), undefined, 0);
  assert.equal(httpDown?.file, 'boot.ipxe');
});

test('a per-host override that is an iPXE binary chains once, then iPXE gets the script', () => {
  const mac = '52:54:00:aa:00:09';
  const pol = input({ overrides: new Map([[mac, 'undionly.kkpxe']]) });
  // Firmware DISCOVER and REQUEST of the same transaction: the override.
  const d1 = chooseBoot(client({ 93: arch(0) }, mac, 100), pol, undefined, 1000);
  assert.equal(d1?.file, 'undionly.kkpxe');
  const r1 = chooseBoot(client({ 93: arch(0) }, mac, 100), pol, d1!.chain, 1500);
  assert.equal(r1?.file, 'undionly.kkpxe');
  // The loaded iPXE asks (new xid): the script, not the override again.
  const d2 = chooseBoot(client({ 93: arch(0), 77: Buffer.from('iPXE') }, mac, 200), pol, r1!.chain, 3000);
  assert.equal(d2?.kind, 'script');
  // An iPXE ROM client (QEMU) whose first request already is iPXE: gets the override once, then the script.
  const rom1 = chooseBoot(client({ 77: Buffer.from('iPXE') }, mac, 300), pol, undefined, 0);
  assert.equal(rom1?.file, 'undionly.kkpxe');
  const rom2 = chooseBoot(client({ 77: Buffer.from('iPXE') }, mac, 301), pol, rom1!.chain, 5000);
  assert.equal(rom2?.kind, 'script');
  // Next boot, long after: the override again.
  const later = chooseBoot(client({ 77: Buffer.from('iPXE') }, mac, 400), pol, rom1!.chain, 10 * 60_000);
  assert.equal(later?.file, 'undionly.kkpxe');
});

test('a non-iPXE override (e.g. pxelinux.0) is handed to every stage; other MACs are unaffected', () => {
  const pol = input({ overrides: new Map([['52:54:00:aa:00:0a', 'pxelinux.0']]) });
  const d = chooseBoot(
    client({ 77: Buffer.from('iPXE') }, '52:54:00:aa:00:0a', 5),
    pol,
    { xid: 4, at: 0 },
    1,
  );
  assert.equal(d?.file, 'pxelinux.0');
  assert.equal(
    chooseBoot(client({ 93: arch(0) }, '52:54:00:aa:00:0b'), pol, undefined, 0)?.file,
    'undionly.kpxe',
  );
  assert.ok(isIpxeBinary('undionly.kpxe') && isIpxeBinary('ipxe.pxe') && isIpxeBinary('bin/snponly.efi'));
  assert.ok(!isIpxeBinary('pxelinux.0') && !isIpxeBinary('grubx64.efi'));
});

test('a missing first-stage file is never the answer: kind "missing", for TFTP and HTTP boot alike', () => {
  const exists = (name: string): boolean => name !== 'ipxe-arm64.efi';
  const arm = chooseBoot(
    client({ 60: pxe(11), 93: arch(11) }),
    input({ firstStageExists: exists }),
    undefined,
    0,
  );
  assert.equal(arm?.kind, 'missing');
  assert.equal(arm?.file, 'ipxe-arm64.efi');
  const armHttp = chooseBoot(
    client({ 60: Buffer.from('HTTPClient:Arch:00019'), 93: arch(19) }),
    input({ firstStageExists: exists }),
    undefined,
    0,
  );
  assert.equal(armHttp?.kind, 'missing');
  const x64 = chooseBoot(
    client({ 60: pxe(7), 93: arch(7) }),
    input({ firstStageExists: exists }),
    undefined,
    0,
  );
  assert.equal(x64?.kind, 'first-stage');
  assert.equal(x64?.file, 'snponly.efi');
});
