import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildQemuArgs,
  guestSerialConsole,
  usesFirmwareNetworkStack,
  type LabVmSpec,
} from '../../../services/lab/qemu-args.js';

/** The boot-matrix firmwares (issue 16): Secure Boot OVMF, HTTP-only OVMF, ARM64 AAVMF. */

const base: LabVmSpec = {
  firmware: 'uefi-secureboot',
  nic: 'virtio',
  memoryMb: 512,
  mac: '52:54:00:77:00:01',
  network: { mode: 'tap', ifname: 'tap0' },
  accel: 'tcg',
  noReboot: true,
};
const arg = (a: string[], flag: string): string[] => a.flatMap((x, i) => (x === flag ? [a[i + 1]!] : []));

test('Secure Boot: q35 with SMM, flash locked to SMM, the secboot code + MS vars copy, no NIC ROM', () => {
  const a = buildQemuArgs(
    base,
    { qemu: 'q', ovmfCode: '/fw/OVMF_CODE_4M.secboot.fd', ovmfVars: '/fw/OVMF_VARS_4M.ms.fd' },
    '/s',
  );
  assert.deepEqual(arg(a, '-machine'), ['q35,smm=on']);
  assert.deepEqual(arg(a, '-global'), ['driver=cfi.pflash01,property=secure,value=on']);
  assert.deepEqual(arg(a, '-drive'), [
    'if=pflash,format=raw,unit=0,readonly=on,file=/fw/OVMF_CODE_4M.secboot.fd',
    'if=pflash,format=raw,unit=1,file=/s/vars.fd',
  ]);
  assert.match(arg(a, '-device')[0]!, /,romfile=$/);
});

test('UEFI HTTP: OVMF PXE switched off through its fw_cfg knobs, so only HTTP Boot remains', () => {
  const a = buildQemuArgs(
    { ...base, firmware: 'uefi-http' },
    { qemu: 'q', ovmfCode: '/c', ovmfVars: '/v' },
    '/s',
  );
  assert.deepEqual(arg(a, '-fw_cfg'), [
    'name=opt/org.tianocore/IPv4PXESupport,string=no',
    'name=opt/org.tianocore/IPv6PXESupport,string=no',
  ]);
  assert.deepEqual(arg(a, '-machine'), ['pc,graphics=off']);
});

test('ARM64: virt board, cortex-a57, AAVMF pflash, serial on the PL011 (ttyAMA0)', () => {
  const a = buildQemuArgs(
    { ...base, firmware: 'arm64-uefi' },
    { qemu: 'qemu-system-aarch64', ovmfCode: '/A/AAVMF_CODE.fd', ovmfVars: '/A/AAVMF_VARS.fd' },
    '/s',
  );
  assert.deepEqual(arg(a, '-machine'), ['virt']);
  assert.deepEqual(arg(a, '-cpu'), ['cortex-a57']);
  assert.equal(arg(a, '-drive')[0], 'if=pflash,format=raw,unit=0,readonly=on,file=/A/AAVMF_CODE.fd');
  assert.equal(guestSerialConsole('arm64-uefi'), 'ttyAMA0');
  assert.equal(guestSerialConsole('bios'), 'ttyS0');
});

test('which firmwares drive the NIC themselves', () => {
  for (const f of ['uefi', 'uefi-http', 'uefi-secureboot', 'arm64-uefi'] as const)
    assert.ok(usesFirmwareNetworkStack(f), f);
  for (const f of ['bios', 'uefi-ipxe'] as const) assert.ok(!usesFirmwareNetworkStack(f), f);
});
