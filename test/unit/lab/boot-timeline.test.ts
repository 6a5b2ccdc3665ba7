import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BootTimeline, cleanConsole } from '../../../services/lab/boot-timeline.js';

// Console of a real lab boot: SeaBIOS + QEMU's iPXE ROM chaining undionly.kpxe, then Bootlab's script.
const undionly = readFileSync(
  new URL('../../fixtures/lab/bios-undionly-console.log', import.meta.url),
  'latin1',
);

test('stages of a BIOS boot through undionly.kpxe, fed one line at a time', () => {
  const marker = 'BOOTLAB-LAB-MARKER:mff5cfbce053e ';
  const tl = new BootTimeline(marker);
  undionly.split(/(?<=\n)/).forEach((line, i) => tl.console(line, i * 100));
  const lines = undionly.split('\n');
  const at = (re: RegExp): number => lines.findIndex((l) => re.test(cleanConsole(l))) * 100;
  assert.equal(tl.stages['firmware-dhcp'], at(/^Configuring .* ok$/));
  assert.equal(tl.stages['first-stage'], at(/undionly\.kpxe\.\.\. ok/));
  // iPXE's own DHCP is the second "Configuring ... ok" (the chained undionly), not the ROM's.
  assert.ok(tl.stages['ipxe-dhcp']! > tl.stages['first-stage']!);
  assert.equal(tl.stages.script, at(/\[script\]/));
  // The kernel stage ends with the last download (initrd), progress percentages and backspaces included.
  assert.equal(tl.stages.kernel, at(/1-initrd\.gz\.\.\. ok/));
  assert.equal(tl.stages.marker, at(/BOOTLAB-LAB-MARKER/));
  assert.deepEqual(
    tl.summary().map((s) => s.stage),
    ['firmware-dhcp', 'first-stage', 'ipxe-dhcp', 'script', 'kernel', 'marker'],
  );
});

test('a line split across chunks matches once, at the time its end arrived', () => {
  const tl = new BootTimeline('MARK');
  tl.console('Configuring (net0 52:54:00:12:34:56)...', 10);
  assert.equal(tl.stages['firmware-dhcp'], undefined);
  tl.console('... ok\n', 20);
  tl.console('boot.ipxe : 136 bytes [script]\nMA', 30);
  tl.console('RK\n', 40);
  assert.equal(tl.stages['firmware-dhcp'], 20);
  assert.equal(tl.stages.script, 30);
  assert.equal(tl.stages.marker, 40);
  tl.console('Configuring (net0 52:54:00:12:34:56)... ok\n', 50);
  assert.equal(tl.stages['ipxe-dhcp'], 20, 'a DHCP after the script does not move the iPXE DHCP stage');
});

test('OVMF PXE lines and bus events', () => {
  const tl = new BootTimeline();
  tl.console('>>Start PXE over IPv4.\r\n  Station IP address is 10.77.0.100\r\n', 9000);
  tl.console('  NBP file downloaded successfully.\r\n', 9500);
  assert.equal(tl.stages['firmware-dhcp'], 9000);
  assert.equal(tl.stages['first-stage'], 9500);
  const ev = { mac: '52:54:00:00:00:01', xid: 1, messageType: 'ACK', isIpxe: true, mode: 'full' as const };
  tl.event('dhcp.ack', ev, 12000);
  tl.event(
    'http.download',
    {
      id: '1',
      phase: 'end',
      client: '10.77.0.100',
      path: '/boot.ipxe',
      status: 200,
      bytesSent: 10,
      durationMs: 1,
      bytesPerSecond: 1,
      result: 'completed',
    },
    12100,
  );
  tl.event(
    'http.download',
    {
      id: '2',
      phase: 'end',
      client: '10.77.0.100',
      path: '/vmlinuz',
      status: 200,
      bytesSent: 10,
      durationMs: 1,
      bytesPerSecond: 1,
      result: 'completed',
    },
    13000,
  );
  assert.equal(tl.stages['ipxe-dhcp'], 12000);
  assert.equal(tl.stages.script, 12100);
  assert.equal(tl.stages.kernel, 13000);
});

test('cleanConsole drops colours, sercon cursor moves, CR and backspaces', () => {
  assert.equal(
    cleanConsole('\x1b[0;1miPXE\x1b[0m ok\r\n\x1bc\x1b[?7l\x1b[2Jx 17%\b\b\b\b'),
    'iPXE ok\nx 17%',
  );
});

test('a VM that chose the local disk ends in "No bootable device", not in a kernel stage', () => {
  // Console of a menu boot whose local-disk entry ran: check-in download, exit, SeaBIOS gives up.
  const tl = new BootTimeline('MARK');
  tl.console('Configuring (net0 52:54:00:12:34:56)...... ok\n', 1000);
  tl.console('boot.ipxe : 2310 bytes [script]\n', 2000);
  tl.console('http://10.0.2.2:8080/checkin?mac=52:54:00:12:34:56&event=chosen&entry=disk... ok\n', 3000);
  tl.console('Booting from the local disk...\n', 3100);
  tl.console('http://10.0.2.2:8080/checkin?mac=52:54:00:12:34:56&event=booting... ok\n', 3200);
  tl.console(
    'Booting from Hard Disk...\nBoot failed: could not read the boot disk\n\nNo bootable device.\n',
    4000,
  );
  assert.equal(tl.stages.kernel, undefined, 'check-ins are not kernel downloads');
  assert.deepEqual(
    tl.summary().map((s) => s.stage),
    ['firmware-dhcp', 'ipxe-dhcp', 'script', 'local-disk', 'no-bootable-device'],
  );
});
