import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePacket, encodePacket, macToChaddr, type DhcpPacket } from '../../../services/dhcp/codec.js';
import { MSG, readClientRequest } from '../../../services/dhcp/options.js';
import type { BootDecision } from '../../../services/dhcp/policy.js';
import { buildReply, replyDestination } from '../../../services/dhcp/reply.js';

function req(opts: [number, Buffer][], fields: Partial<DhcpPacket> = {}): DhcpPacket {
  return {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 7,
    secs: 0,
    flags: 0,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr: macToChaddr('52:54:00:00:00:01'),
    sname: '',
    file: '',
    options: new Map([[53, Buffer.from([1])], ...opts]),
    ...fields,
  };
}
const boot = (file: string, httpClient = false): BootDecision => ({
  kind: 'first-stage',
  file,
  platform: 'efi-x64',
  reason: 'test',
  httpClient,
});

test('UEFI HTTP boot reply carries option 60 HTTPClient and the URL', () => {
  const r = req([
    [93, Buffer.from([0, 16])],
    [60, Buffer.from('HTTPClient:Arch:00016:UNDI:003001')],
  ]);
  const p = buildReply(r, readClientRequest(r), {
    mode: 'proxy',
    messageType: MSG.OFFER,
    serverAddress: '10.77.0.1',
    boot: boot('http://10.77.0.1/snponly.efi', true),
    syslogAddress: null,
  });
  assert.equal(p.options.get(60)!.toString(), 'HTTPClient');
  assert.equal(p.options.get(67)!.toString(), 'http://10.77.0.1/snponly.efi');
  assert.ok(!p.options.has(43));
});

test('a URL longer than the file field goes only in option 67; pxelinux 209/210 when configured', () => {
  const long = `http://10.77.0.1:8080/${'x'.repeat(140)}/boot.ipxe`;
  const r = req([[77, Buffer.from('iPXE')]]);
  const p = buildReply(r, readClientRequest(r), {
    mode: 'full',
    messageType: MSG.OFFER,
    serverAddress: '10.77.0.1',
    boot: boot(long),
    syslogAddress: null,
    pxelinux: { configFile: 'pxelinux.cfg/default', pathPrefix: 'http://10.77.0.1/' },
  });
  const d = decodePacket(encodePacket(p));
  assert.equal(d.file, '');
  assert.equal(d.siaddr, '10.77.0.1');
  assert.equal(d.options.get(67)!.toString(), long);
  assert.equal(d.options.get(209)!.toString(), 'pxelinux.cfg/default');
  assert.equal(d.options.get(210)!.toString(), 'http://10.77.0.1/');
  assert.ok(!d.options.has(7), 'no option 7 while syslog is off');
});

test('NAK carries no address or boot info; destinations follow RFC 2131 §4.1', () => {
  const r = req([], { ciaddr: '10.77.0.9' });
  const nak = buildReply(r, readClientRequest(r), {
    mode: 'full',
    messageType: MSG.NAK,
    serverAddress: '10.77.0.1',
    boot: boot('x'),
    syslogAddress: null,
    message: 'no',
  });
  assert.deepEqual(
    [nak.yiaddr, nak.siaddr, nak.file, nak.options.has(51), nak.options.get(56)!.toString()],
    ['0.0.0.0', '0.0.0.0', '', false, 'no'],
  );
  const ports = { server: 67, client: 68 };
  assert.deepEqual(replyDestination(r, MSG.NAK, ports), { address: '255.255.255.255', port: 68 });
  assert.deepEqual(replyDestination(r, MSG.ACK, ports), { address: '10.77.0.9', port: 68 });
  assert.deepEqual(replyDestination(req([], { giaddr: '10.1.0.1' }), MSG.OFFER, ports), {
    address: '10.1.0.1',
    port: 67,
  });
});
