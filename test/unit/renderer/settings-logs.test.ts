import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fieldErrorsFrom,
  fieldErrorsOf,
  unplacedFields,
} from '../../../renderer/src/features/settings/field-errors.js';
import { mergeLogs, syslogToEntry } from '../../../renderer/src/features/logs/log-model.js';

test('server validation messages are split onto their fields, in plain words', () => {
  const message =
    'These settings are not valid: dhcp.pool.start: Invalid ip; tftp.port: Number must be less than or equal to 65535; foo: bar.';
  assert.deepEqual(fieldErrorsFrom(message, ['dhcp.pool', 'dhcp.pool.start', 'tftp.port', 'interface']), {
    'dhcp.pool.start': 'This is not an IPv4 address (like 192.168.1.10).',
    'tftp.port': 'This must be at most 65535.',
  });
  assert.deepEqual(fieldErrorsFrom('Bootlab could not save.', ['interface']), {});
});

test('client syslog lines become log entries with a level from their severity', () => {
  const e = syslogToEntry({
    type: 'syslog.line',
    time: 't',
    payload: {
      from: '10.0.0.9',
      severity: 3,
      facility: 1,
      hostname: 'bench3',
      tag: 'ipxe',
      text: 'No such file',
    },
  });
  assert.deepEqual(e, {
    time: 't',
    level: 'error',
    source: 'client bench3 (10.0.0.9)',
    message: 'ipxe: No such file',
  });
});

test('the log view joins the snapshot and live lines without duplicates, in time order', () => {
  const history = [
    { time: '2026-01-01T00:00:01Z', level: 'info' as const, source: 'host', message: 'a' },
    { time: '2026-01-01T00:00:03Z', level: 'info' as const, source: 'host', message: 'b' },
  ];
  const live = [
    { time: '2026-01-01T00:00:03Z', level: 'info' as const, source: 'host', message: 'b' }, // already in the snapshot
    { time: '2026-01-01T00:00:02Z', level: 'info' as const, source: 'client 10.0.0.9', message: 'ipxe line' },
    { time: '2026-01-01T00:00:04Z', level: 'warn' as const, source: 'tftp', message: 'c' },
  ];
  assert.deepEqual(
    mergeLogs(history, live).map((e) => e.message),
    ['a', 'ipxe line', 'b', 'c'],
  );
});

test('structured field problems land on their fields (or the nearest parent), hints included', () => {
  const known = ['dhcp.pool', 'dhcp.pool.start', 'dhcp.reservations', 'interface'];
  const problem = {
    message: 'These settings are not valid.',
    fields: [
      { field: 'dhcp.pool.start', message: 'This is not an IPv4 address (like 192.168.1.10).' },
      {
        field: 'dhcp.reservations.0.ip',
        message: '10.9.9.9 is not on the bench network 127.0.0.0/8.',
        hint: 'Use an address from 127.0.0.0/8.',
      },
      { field: 'tftp.port', message: 'This must be at most 65535.' },
    ],
  };
  assert.deepEqual(fieldErrorsOf(problem, known), {
    'dhcp.pool.start': 'This is not an IPv4 address (like 192.168.1.10).',
    'dhcp.reservations': '10.9.9.9 is not on the bench network 127.0.0.0/8. Use an address from 127.0.0.0/8.',
  });
  assert.deepEqual(
    unplacedFields(problem, known).map((f) => f.field),
    ['tftp.port'],
  );
});
