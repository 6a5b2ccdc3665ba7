import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindUdp, closeUdp } from '../../../services/net/sockets.js';
import { explainBindError, privilegeHint } from '../../../services/net/bind-errors.js';
import type { BootlabError } from '../../../services/shared/errors.js';

test('a port in use names the process that holds it (Linux)', async () => {
  const first = await bindUdp({ service: 'first', address: '127.0.0.1', port: 0 });
  const port = first.address().port;
  try {
    await assert.rejects(
      bindUdp({ service: 'TFTP server', address: '127.0.0.1', port }),
      (e: BootlabError) => {
        assert.equal(e.code, 'PORT_IN_USE');
        assert.match(e.message, new RegExp(`TFTP server could not open UDP 127.0.0.1:${port}`));
        if (process.platform === 'linux') assert.match(e.message, new RegExp(`process ${process.pid}`));
        return true;
      },
    );
  } finally {
    await closeUdp(first);
  }
});

test('permission errors explain how to grant the right, per platform', () => {
  const err = Object.assign(new Error('bind EACCES'), { code: 'EACCES' });
  const e = explainBindError(err, { service: 'DHCP server', transport: 'udp', address: '0.0.0.0', port: 67 });
  assert.equal(e.code, 'PORT_NEEDS_PRIVILEGE');
  assert.match(privilegeHint('linux'), /setcap cap_net_bind_service\+ep/);
  assert.match(privilegeHint('win32'), /administrator/);
  assert.match(privilegeHint('darwin'), /sudo/);
});

test('an address that went away is explained', () => {
  const err = Object.assign(new Error('bind EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
  const e = explainBindError(err, {
    service: 'HTTP boot server',
    transport: 'tcp',
    address: '10.9.9.9',
    port: 80,
  });
  assert.equal(e.code, 'ADDRESS_NOT_AVAILABLE');
});
