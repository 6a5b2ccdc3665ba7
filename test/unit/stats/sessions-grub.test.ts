import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../services/core/bus.js';
import { Runtime } from '../../../services/core/runtime.js';
import { ClientSessions } from '../../../services/stats/sessions.js';

/**
 * A Secure Boot machine (issue 16) fetches everything over TFTP: shim and GRUB (first stage), grub/grub.cfg
 * (its script), then the kernel and initrd. The Clients page must show those stages, not "first stage"
 * forever; refused names (GRUB probing /grub/x86_64-efi/*.lst) move nothing on.
 */
const MAC = '52:54:00:5b:00:01';
const IP = '10.77.0.101';

test('TFTP-only boot through shim and GRUB: first stage, script (grub.cfg), kernel', () => {
  const bus = new EventBus();
  const sessions = new ClientSessions(bus, new Runtime());
  bus.emit('dhcp.ack', {
    mac: MAC,
    ip: IP,
    xid: 1,
    messageType: 'ACK',
    arch: 7,
    isIpxe: false,
    mode: 'full',
  });
  let n = 0;
  const tftp = (file: string, extra: Record<string, unknown> = {}) =>
    bus.emit('tftp.transfer', {
      id: `t${n++}`,
      client: `${IP}:2070`,
      file,
      size: 1000,
      blksize: 1024,
      windowsize: 1,
      retransmits: 0,
      durationMs: 10,
      bytesPerSecond: 1000,
      phase: 'end',
      bytesSent: 1000,
      result: 'ok',
      ...extra,
    });
  tftp('shimx64.efi');
  tftp('grubx64.efi');
  assert.equal(sessions.get(MAC)!.stage, 'first-stage');
  tftp('/grub/x86_64-efi/command.lst', { result: 'refused', refused: 'absolute', bytesSent: 0 });
  assert.equal(sessions.get(MAC)!.stage, 'first-stage', 'a refused probe is not progress');
  tftp('grub/grub.cfg');
  assert.equal(sessions.get(MAC)!.stage, 'script');
  tftp('quick/0-vmlinuz');
  const s = sessions.get(MAC)!;
  assert.equal(s.stage, 'kernel');
  assert.ok(s.stageTimes?.['first-stage'] && s.stageTimes?.script && s.stageTimes?.kernel);
  sessions.close();
});
