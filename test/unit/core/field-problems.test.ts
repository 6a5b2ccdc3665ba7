import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import {
  describeFieldProblems,
  fieldLabel,
  fieldProblemsFromZod,
} from '../../../services/core/field-problems.js';

const schema = z.object({
  dhcp: z.object({
    reservations: z.array(
      z.object({
        ip: z.string().ip({ version: 'v4' }),
        mac: z.string().regex(/^x$/, 'a MAC address like 52:54:00:12:34:56'),
      }),
    ),
    port: z.number().int().max(65535),
  }),
  memoryMb: z.number().int().max(8192),
  label: z.string().min(1),
  mode: z.enum(['auto', 'off']),
});

test('schema errors become plain sentences per field, all at once, without schema paths in the text', () => {
  const parsed = schema.safeParse({
    dhcp: {
      reservations: [
        { ip: '10.0.0.1', mac: 'x' },
        { ip: '10.9.9', mac: 'bad' },
      ],
      port: 70000,
    },
    memoryMb: 9000,
    label: '',
    mode: 'sometimes',
  });
  assert.equal(parsed.success, false);
  const fields = fieldProblemsFromZod(parsed.error!);
  assert.deepEqual(
    fields.map((f) => f.field),
    ['dhcp.reservations.1.ip', 'dhcp.reservations.1.mac', 'dhcp.port', 'memoryMb', 'label', 'mode'],
  );
  const byField = Object.fromEntries(fields.map((f) => [f.field, f.message]));
  assert.equal(byField['dhcp.reservations.1.ip'], 'This is not an IPv4 address (like 192.168.1.10).');
  assert.equal(byField['dhcp.reservations.1.mac'], 'This must be a MAC address like 52:54:00:12:34:56.');
  assert.equal(byField['dhcp.port'], 'This must be at most 65535.');
  assert.equal(byField.label, 'This is empty: fill it in.');
  assert.equal(byField.mode, 'Choose one of: auto, off.');
  const line = describeFieldProblems(fields);
  assert.match(line, /^Reservation 2, IP address: this is not an IPv4 address/);
  assert.match(line, /Memory \(MiB\): this must be at most 8192\./);
  assert.doesNotMatch(line, /dhcp\.|reservations\.1|memoryMb|Invalid|String must contain/);
});

test('field labels read like the forms', () => {
  assert.equal(fieldLabel(['dhcp', 'reservations', 0, 'ip']), 'Reservation 1, IP address');
  assert.equal(fieldLabel(['tftp', 'port']), 'TFTP port');
  assert.equal(fieldLabel(['dhcp', 'pool', 'start']), 'Address pool, first address');
  assert.equal(fieldLabel(['menus', 0, 'entries', 2, 'initrds', 0]), 'Menu 1, Entry 3, Initrd 1');
});
