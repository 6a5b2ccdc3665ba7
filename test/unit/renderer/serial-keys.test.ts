import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSerialKeys } from '../../../renderer/src/features/lab/serial-keys.js';

test('keys reach the serial console in the CSI form iPXE decodes (src/core/getkey.c)', () => {
  assert.equal(toSerialKeys('\x1b[B\r'), '\x1b[B\r', 'arrows and Enter pass unchanged');
  assert.equal(toSerialKeys('\x1bOA\x1bOB'), '\x1b[A\x1b[B', 'application-cursor arrows');
  assert.equal(toSerialKeys('\x1bOP\x1bOS'), '\x1b[11~\x1b[14~', 'F1 and F4');
  assert.equal(toSerialKeys('\x1b[24~'), '\x1b[24~', 'F12 already as iPXE expects');
  assert.equal(toSerialKeys('\x02\x1b'), '\x02\x1b', 'Ctrl-B and Esc unchanged');
  assert.equal(toSerialKeys('hello O'), 'hello O');
});
