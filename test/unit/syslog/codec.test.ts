import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyslogMessage, SyslogFramer } from '../../../services/syslog/codec.js';

const parse = (s: string | Buffer) => {
  const r = parseSyslogMessage(s, 8192);
  assert.ok(r.ok, `expected ${String(s)} to parse`);
  return r.message;
};

// Verbatim payloads from docs/ipxe-notes.md §1: no timestamp, tag "ipxe:", no trailing newline.
test('iPXE lines: host with domain, the tail-only " ok", no host name', () => {
  const m = parse('<6>pc01.lab.example ipxe: http://10.77.0.1:8080/boot.ipxe... ok');
  assert.deepEqual(m, {
    facility: 0,
    severity: 6,
    hostname: 'pc01.lab.example',
    tag: 'ipxe',
    text: 'http://10.77.0.1:8080/boot.ipxe... ok',
    format: 'ipxe',
  });
  assert.equal(parse('<6>pc01.lab.example ipxe:  ok').text, ' ok');
  const bare = parse('<6>ipxe: Hello from iPXE before hostname is set');
  assert.equal(bare.hostname, undefined);
  assert.equal(bare.text, 'Hello from iPXE before hostname is set');
  assert.equal(parse(Buffer.from('<5>pc01 ipxe: Executing "vmlinuz"')).severity, 5);
});

test('RFC 5424 with structured data and NILVALUE', () => {
  const m = parse(
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\"ication" eventID="1011"][x@1 a="b\\]c"] \uFEFFAn application event',
  );
  assert.equal(m.format, 'rfc5424');
  assert.equal(m.facility, 20);
  assert.equal(m.severity, 5);
  assert.equal(m.hostname, 'mymachine.example.com');
  assert.equal(m.tag, 'evntslog');
  assert.equal(m.timestamp, '2003-10-11T22:14:15.003Z');
  assert.deepEqual(m.structuredData?.['exampleSDID@32473'], {
    iut: '3',
    eventSource: 'Appl"ication',
    eventID: '1011',
  });
  assert.deepEqual(m.structuredData?.['x@1'], { a: 'b]c' });
  assert.equal(m.text, 'An application event');
  const nil = parse('<34>1 - - - - - -');
  assert.equal(nil.hostname, undefined);
  assert.equal(nil.tag, undefined);
  assert.equal(nil.text, '');
  const broken = parseSyslogMessage('<34>1 2003 host app - - [unterminated a="b', 8192);
  assert.deepEqual(broken, { ok: false, reason: 'bad-5424' });
});

test('RFC 3164 and drops by reason', () => {
  const m = parse('<30>Nov 22 02:44:42 router dnsmasq-dhcp[123]: DHCPACK(eth0) 10.0.0.5');
  assert.equal(m.hostname, 'router');
  assert.equal(m.tag, 'dnsmasq-dhcp');
  assert.equal(m.facility, 3);
  assert.equal(m.format, 'rfc3164');
  const reason = (s: string | Buffer) => {
    const r = parseSyslogMessage(s, 64);
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason('no pri here'), 'no-pri');
  assert.equal(reason('<999>x'), 'bad-pri');
  assert.equal(reason('<06>x'), 'bad-pri');
  assert.equal(reason(''), 'empty');
  assert.equal(reason('<6>ipxe: ' + 'x'.repeat(100)), 'too-long');
  assert.equal(reason(Buffer.from([0x3c, 0x36, 0x3e, 0xff, 0xfe, 0x00])), 'binary');
});

test('TCP framing: octet counting split across reads, newline framing, broken lengths', () => {
  const a = '<6>pc01 ipxe: http://10.77.0.1/boot.ipxe... ok';
  const b = '<6>pc01 ipxe: http://10.77.0.1/vmlinuz... ok';
  const stream = Buffer.from(`${Buffer.byteLength(a)} ${a}${Buffer.byteLength(b)} ${b}`);
  // Every split point, including inside the length and right after the space.
  for (let cut = 1; cut < stream.length; cut++) {
    const f = new SyslogFramer(8192);
    const frames = [...f.push(stream.subarray(0, cut)).frames, ...f.push(stream.subarray(cut)).frames];
    assert.deepEqual(frames.map(String), [a, b], `cut at ${cut}`);
    assert.equal(f.pending, 0);
  }
  const lf = new SyslogFramer(8192);
  const got = [
    ...lf.push(Buffer.from(`${a}\n${b.slice(0, 10)}`)).frames,
    ...lf.push(Buffer.from(`${b.slice(10)}\r\n`)).frames,
  ];
  assert.deepEqual(got.map(String), [a, `${b}\r`]);
  assert.equal(new SyslogFramer(100).push(Buffer.from('99999999 x')).error, 'bad-frame');
  assert.equal(new SyslogFramer(100).push(Buffer.from('500 x')).error, 'too-long');
  assert.equal(new SyslogFramer(100).push(Buffer.from('0 x')).error, 'bad-frame');
  assert.equal(new SyslogFramer(10).push(Buffer.from('<6>' + 'y'.repeat(20))).error, 'too-long');
});
