import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyslog } from '../../../services/syslog/parse.js';

// Payloads captured from iPXE (shared/ipxe-facts.md 1.2): no timestamp, tag "ipxe:", no trailing newline.
test('iPXE lines with host name and domain', () => {
  assert.deepEqual(parseSyslog('<6>pc01.lab.example ipxe: http://10.77.0.1:8080/boot.ipxe... ok'), {
    facility: 0,
    severity: 6,
    hostname: 'pc01.lab.example',
    tag: 'ipxe',
    text: 'http://10.77.0.1:8080/boot.ipxe... ok',
  });
});

test('iPXE lines without host name, and the " ok" fragment', () => {
  assert.deepEqual(parseSyslog('<6>ipxe: Hello from iPXE before hostname is set'), {
    facility: 0,
    severity: 6,
    tag: 'ipxe',
    text: 'Hello from iPXE before hostname is set',
  });
  assert.equal(parseSyslog('<6>pc01.lab.example ipxe:  ok')!.text, ' ok');
  assert.equal(parseSyslog(Buffer.from('<5>pc01 ipxe: Executing "vmlinuz"'))!.severity, 5);
});

test('RFC 3164 lines from other senders, and garbage', () => {
  const p = parseSyslog('<30>Nov 22 02:44:42 router dnsmasq-dhcp[123]: DHCPACK(eth0) 10.0.0.5');
  assert.equal(p!.hostname, 'router');
  assert.equal(p!.tag, 'dnsmasq-dhcp');
  assert.equal(p!.facility, 3);
  assert.equal(parseSyslog('no pri here'), undefined);
  assert.equal(parseSyslog('<999>x'), undefined);
});
