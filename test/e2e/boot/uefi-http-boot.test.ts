import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { findLabTools } from '../../../services/lab/qemu-args.js';
import { ensureBootPayload, markerCmdline, newMarker, type BootPayload } from '../../helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason } from '../../helpers/lab-boot.js';
import { BootlabInLab } from '../../helpers/lab-bootlab.js';
import { waitForSession } from '../../helpers/lab-api.js';
import { LabNet } from '../../helpers/lab-net.js';

/**
 * UEFI HTTP Boot (issue 16). Debian's OVMF carries HttpBootDxe (checked below in the firmware volume), so
 * the real firmware client is used: OVMF with its PXE boot options switched off (fw_cfg knobs read by
 * PxeBcDxe) and Bootlab started WITHOUT its TFTP service. OVMF's DHCP asks as "HTTPClient" (arch 16); Bootlab
 * answers with option 60 "HTTPClient" and an http:// URI of the first stage; the firmware downloads it over
 * HTTP, iPXE takes over and boots the payload over HTTP to the marker.
 */
const skip = labBootUnavailableReason('uefi-http');

/** FFS file GUID of NetworkPkg/HttpBootDxe (HttpBootDxe.inf FILE_GUID ecebcb00-d9c8-11e4-af3d-8cdcd426c973). */
const HTTP_BOOT_DXE_GUID = Buffer.from('00cbebecc8d9e411af3d8cdcd426c973', 'hex');
/** EFI_GUID_DEFINED_SECTION GUID of LZMA-compressed sections (ee4e5898-3914-4259-9d6e-dc7bd79403cf). */
const LZMA_SECTION_GUID = Buffer.from('98584eee143959429d6edc7bd79403cf', 'hex');

/** The DXE volume of an OVMF image, decompressed (xz reads the LZMA "alone" format the section holds). */
function decompressedVolumes(fd: string): Buffer[] {
  const image = readFileSync(fd);
  const out: Buffer[] = [];
  for (let i = image.indexOf(LZMA_SECTION_GUID); i >= 0; i = image.indexOf(LZMA_SECTION_GUID, i + 1)) {
    const dataOffset = image.readUInt16LE(i + 16);
    const r = spawnSync('xz', ['--format=lzma', '-dc', '--single-stream'], {
      input: image.subarray(i - 4 + dataOffset),
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.stdout && r.stdout.length > 0) out.push(r.stdout);
  }
  return out;
}

describe('UEFI HTTP Boot with no TFTP at all', { skip }, () => {
  let lab: LabNet;
  let payload: BootPayload;

  before(() => {
    payload = ensureBootPayload();
    lab = LabNet.create();
  });
  after(() => lab?.destroy());

  test("Debian's OVMF has HttpBootDxe in its firmware volume", () => {
    const code = findLabTools({ firmware: 'uefi-http', nic: 'virtio' }).ovmfCode!;
    const volumes = decompressedVolumes(code);
    assert.ok(volumes.length > 0, `${code}: an LZMA-compressed firmware volume was found and unpacked`);
    const all = Buffer.concat(volumes);
    assert.ok(all.includes(HTTP_BOOT_DXE_GUID), 'the HttpBootDxe driver (by its FFS GUID) is in the image');
    assert.ok(
      all.includes(Buffer.from('HttpBootDxe', 'utf16le')),
      'and its UI name section says HttpBootDxe',
    );
  });

  test('OVMF HTTP-boots iPXE from Bootlab (TFTP not running), reaches the marker and shows on the Clients page', async (t) => {
    const marker = newMarker();
    const mac = '52:54:00:77:4b:01';
    const bl = await BootlabInLab.start(lab, {
      payload,
      cmdline: markerCmdline(marker),
      dhcp: 'full',
      services: ['dhcp', 'http', 'syslog'],
    });
    try {
      const r = await bootToMarker(lab, { firmware: 'uefi-http', marker, mac }).catch((err: Error) => {
        err.message += `\n--- bootlab (end) ---\n${bl.tail(3000)}`;
        throw err;
      });
      t.diagnostic(
        `Bootlab UEFI HTTP Boot: marker after ${(r.markerAtMs / 1000).toFixed(1)} s; ${r.timings}`,
      );
      const text = r.vm.consoleText();
      assert.doesNotMatch(text, /Start PXE over IPv4/, 'the firmware never tried PXE (TFTP)');
      assert.match(text, /Start HTTP Boot over IPv4/, 'the firmware ran its HTTP Boot client');
      assert.match(text, /URI: http:\/\/10\.77\.0\.1:8080\/snponly\.efi/, 'Bootlab gave it an http:// URI');
      assert.doesNotMatch(bl.tail(20_000), /tftp running/, 'Bootlab ran no TFTP service');
      const s = await waitForSession(lab, bl, mac, (c) => !!c.stageTimes?.kernel);
      t.diagnostic(`session: firmware ${s.firmware}, arch ${s.arch}, stage ${s.stage}`);
      assert.match(s.firmware ?? '', /efi/, 'the Clients page shows a UEFI machine');
      assert.ok(s.stageTimes?.dhcp && s.stageTimes?.script && s.stageTimes?.kernel, 'with its stages');
    } finally {
      await bl.stop();
    }
  });
});
