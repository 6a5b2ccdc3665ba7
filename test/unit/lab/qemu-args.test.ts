import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildQemuArgs,
  findLabTools,
  randomLabMac,
  type LabVmSpec,
} from '../../../services/lab/qemu-args.js';
import { BootlabError } from '../../../services/shared/errors.js';

const tools = {
  qemu: '/usr/bin/qemu-system-x86_64',
  ovmfCode: '/fw/OVMF_CODE_4M.fd',
  ovmfVars: '/fw/OVMF_VARS_4M.fd',
};
const base: LabVmSpec = {
  firmware: 'bios',
  nic: 'virtio',
  memoryMb: 512,
  mac: '52:54:00:77:00:01',
  network: { mode: 'tap', ifname: 'tap0' },
  accel: 'tcg',
  noReboot: true,
};

function arg(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

test("BIOS: SeaBIOS sercon, tap netdev, NIC first in boot order with QEMU's iPXE ROM", () => {
  const a = buildQemuArgs(base, tools, '/state');
  assert.deepEqual(arg(a, '-machine'), ['pc,graphics=off']);
  assert.deepEqual(arg(a, '-accel'), ['tcg']);
  assert.deepEqual(arg(a, '-netdev'), ['tap,id=n0,ifname=tap0,script=no,downscript=no']);
  assert.deepEqual(arg(a, '-device'), ['virtio-net-pci,netdev=n0,mac=52:54:00:77:00:01,bootindex=1']);
  assert.deepEqual(arg(a, '-qmp'), ['unix:/state/qmp.sock,server=on,wait=off']);
  assert.ok(a.includes('-no-reboot'));
  assert.deepEqual(arg(a, '-drive'), [], 'no pflash on BIOS');
});

test('UEFI (OVMF PXE): pflash code read-only + a private vars copy, and no option ROM on the NIC', () => {
  const a = buildQemuArgs({ ...base, firmware: 'uefi' }, tools, '/state');
  assert.deepEqual(arg(a, '-drive'), [
    'if=pflash,format=raw,unit=0,readonly=on,file=/fw/OVMF_CODE_4M.fd',
    'if=pflash,format=raw,unit=1,file=/state/vars.fd',
  ]);
  assert.match(arg(a, '-device')[0]!, /,romfile=$/);
});

test('UEFI with iPXE ROM keeps the ROM; e1000/rtl8139 map to their QEMU devices', () => {
  const a = buildQemuArgs({ ...base, firmware: 'uefi-ipxe', nic: 'e1000' }, tools, '/state');
  assert.equal(arg(a, '-device')[0], 'e1000,netdev=n0,mac=52:54:00:77:00:01,bootindex=1');
  const b = buildQemuArgs(
    { ...base, nic: 'rtl8139', network: { mode: 'user', bootUrl: 'http://10.0.2.2:8080/boot.ipxe' } },
    tools,
    '/s',
  );
  assert.match(arg(b, '-device')[0]!, /^rtl8139,/);
  assert.deepEqual(arg(b, '-netdev'), ['user,id=n0,bootfile=http://10.0.2.2:8080/boot.ipxe']);
});

test('missing QEMU is a clear error naming the package', () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.throws(
      () => findLabTools({ firmware: 'bios', nic: 'virtio' }),
      (e: unknown) =>
        e instanceof BootlabError && e.code === 'LAB_TOOL_MISSING' && /qemu-system-x86/.test(e.hint),
    );
  } finally {
    process.env.PATH = saved;
  }
});

test(
  "OVMF's own PXE with e1000 is refused with what to choose instead",
  { skip: process.env.BOOTLAB_QEMU ? 'BOOTLAB_QEMU set' : undefined },
  () => {
    process.env.BOOTLAB_QEMU = '/bin/true';
    try {
      assert.throws(
        () => findLabTools({ firmware: 'uefi', nic: 'e1000' }),
        (e: unknown) => {
          if (!(e instanceof BootlabError)) return false;
          // Without OVMF installed the OVMF message comes first; both name what to do.
          return e.code === 'LAB_TOOL_MISSING' ? /ovmf/.test(e.hint) : /virtio/.test(e.hint);
        },
      );
    } finally {
      delete process.env.BOOTLAB_QEMU;
    }
  },
);

test('random MACs are locally administered QEMU addresses', () => {
  for (let i = 0; i < 20; i++) assert.match(randomLabMac(), /^52:54:00(:[0-9a-f]{2}){3}$/);
});
