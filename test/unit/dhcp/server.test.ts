import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../services/core/logger.js';
import { EventBus } from '../../../services/core/bus.js';
import { Allocator } from '../../../services/dhcp/allocator.js';
import { clientRequest, decodePacket, encodePacket, type DhcpPacket } from '../../../services/dhcp/codec.js';
import { LeaseStore } from '../../../services/dhcp/leases.js';
import { decodeEncapsulated, MSG } from '../../../services/dhcp/options.js';
import { DEFAULT_FIRST_STAGE } from '../../../services/dhcp/policy.js';
import { DhcpServer, type DhcpServerOptions, type Via } from '../../../services/dhcp/server.js';
import { capture } from './fixtures.js';

interface Sent {
  packet: DhcpPacket;
  port: number;
  address: string;
  via: Via;
}

function setup(mode: 'full' | 'proxy', over: Partial<DhcpServerOptions> = {}) {
  const sent: Sent[] = [];
  const store = new LeaseStore(':memory:');
  const allocator = new Allocator(store, {
    pool: { start: '10.77.0.100', end: '10.77.0.102' },
    reservations: new Map([['52:54:00:00:00:99', '10.77.0.50']]),
    serverAddress: '10.77.0.1',
    leaseMs: 3600_000,
    inUse: async () => false,
  });
  const acks: string[] = [];
  const server = new DhcpServer({
    mode,
    serverAddress: '10.77.0.1',
    subnetMask: '255.255.255.0',
    router: '10.77.0.1',
    dns: ['10.77.0.1'],
    domain: 'lab',
    leaseSeconds: 3600,
    ports: { server: 67, client: 68 },
    allocator,
    policy: () => ({
      serverAddress: '10.77.0.1',
      httpBase: 'http://10.77.0.1:8080',
      scriptPath: '/boot.ipxe',
      firstStage: DEFAULT_FIRST_STAGE,
      overrides: new Map(),
    }),
    syslogAddress: () => '10.77.0.1',
    send: (buf, port, address, via) => sent.push({ packet: decodePacket(buf), port, address, via }),
    onAck: (ip, mac) => acks.push(`${ip}=${mac}`),
    log: createLogger(new EventBus(), 'test', { quiet: true }),
    ...over,
  });
  return { server, sent, store, acks };
}

function request(
  mac: string,
  type: number,
  opts: [number, Buffer][] = [],
  fields: Partial<DhcpPacket> = {},
): Buffer {
  return encodePacket(clientRequest(mac, 42, [[53, Buffer.from([type])], ...opts], fields));
}
const from = { address: '0.0.0.0', port: 68 };

test('full mode: a plain client gets DISCOVER→OFFER, REQUEST→ACK, broadcast, with lease options and no boot file', async () => {
  const { server, sent, acks } = setup('full');
  await server.handle(request('02:00:00:00:00:01', MSG.DISCOVER), from, 'main');
  const offer = sent[0]!;
  assert.equal(offer.address, '255.255.255.255');
  assert.equal(offer.port, 68);
  assert.equal(offer.packet.options.get(53)![0], MSG.OFFER);
  assert.equal(offer.packet.yiaddr, '10.77.0.100');
  assert.equal(offer.packet.file, '');
  assert.deepEqual([...offer.packet.options.get(1)!], [255, 255, 255, 0]);
  const ip = Buffer.from([10, 77, 0, 100]);
  await server.handle(
    request('02:00:00:00:00:01', MSG.REQUEST, [
      [50, ip],
      [54, Buffer.from([10, 77, 0, 1])],
    ]),
    from,
    'main',
  );
  assert.equal(sent[1]!.packet.options.get(53)![0], MSG.ACK);
  assert.equal(sent[1]!.packet.yiaddr, '10.77.0.100');
  assert.deepEqual(acks, ['10.77.0.100=02:00:00:00:00:01']);
  // Renewal: unicast to ciaddr.
  await server.handle(
    request('02:00:00:00:00:01', MSG.REQUEST, [], { ciaddr: '10.77.0.100' }),
    { address: '10.77.0.100', port: 68 },
    'main',
  );
  assert.equal(sent[2]!.address, '10.77.0.100');
  assert.equal(sent[2]!.packet.options.get(53)![0], MSG.ACK);
});

test('full mode: captured iPXE ROM DISCOVER gets siaddr, script URL, 66/67, 175.176=1 and option 7', async () => {
  const { server, sent } = setup('full');
  await server.handle(capture('seabios-ipxe-rom', 0), from, 'main');
  const p = sent[0]!.packet;
  assert.equal(p.siaddr, '10.77.0.1');
  assert.equal(p.file, 'http://10.77.0.1:8080/boot.ipxe');
  assert.equal(p.options.get(67)!.toString(), 'http://10.77.0.1:8080/boot.ipxe');
  assert.equal(p.options.get(66)!.toString(), '10.77.0.1');
  assert.deepEqual(decodeEncapsulated(p.options.get(175)!).get(176), Buffer.from([1]));
  assert.deepEqual([...p.options.get(7)!], [10, 77, 0, 1]);
  assert.ok(!p.options.has(43), 'no PXE vendor options in full mode');
});

test('full mode: captured iPXE 2.x DISCOVERs (BIOS, x64 UEFI) get the script URL and 175.176=1 (no ProxyDHCP wait)', async () => {
  for (const name of ['ipxe2-bios', 'ipxe2-efi']) {
    const { server, sent } = setup('full');
    await server.handle(capture(name, 0), from, 'main');
    const p = sent[0]!.packet;
    assert.equal(p.options.get(53)![0], MSG.OFFER, name);
    assert.equal(p.siaddr, '10.77.0.1');
    assert.equal(p.file, 'http://10.77.0.1:8080/boot.ipxe', name);
    assert.equal(p.options.get(67)!.toString(), 'http://10.77.0.1:8080/boot.ipxe');
    assert.deepEqual(decodeEncapsulated(p.options.get(175)!).get(176), Buffer.from([1]), `${name} 175.176`);
    assert.ok(!p.options.has(43), 'no PXE vendor options in full mode');
  }
});

test("proxy mode: OVMF's PXE DISCOVER gets an offer without an address, PXEClient, 43.6=8, UUID echoed", async () => {
  const { server, sent } = setup('proxy');
  await server.handle(capture('ovmf-pxe', 3), from, 'main');
  const p = sent[0]!.packet;
  assert.equal(p.yiaddr, '0.0.0.0');
  assert.equal(p.file, 'snponly.efi');
  assert.equal(p.options.get(60)!.toString(), 'PXEClient');
  assert.deepEqual(decodeEncapsulated(p.options.get(43)!).get(6), Buffer.from([8]));
  assert.deepEqual(p.options.get(97), decodePacket(capture('ovmf-pxe', 3)).options.get(97));
  assert.ok(!p.options.has(51), 'no lease time in a proxy offer');
  // A plain (non-PXE) client is ignored in proxy mode.
  await server.handle(request('02:00:00:00:00:02', MSG.DISCOVER), from, 'main');
  assert.equal(sent.length, 1);
  assert.equal(server.stats.dropReasons['not-a-pxe-client'], 1);
});

test('port 4011: a REQUEST is answered with an ACK to its source ip:port', async () => {
  const { server, sent } = setup('proxy');
  const req = decodePacket(capture('ovmf-pxe', 4));
  req.ciaddr = '10.77.0.150';
  await server.handle(encodePacket(req), { address: '10.77.0.150', port: 4011 }, 'proxy');
  assert.equal(sent[0]!.address, '10.77.0.150');
  assert.equal(sent[0]!.port, 4011);
  assert.equal(sent[0]!.via, 'proxy');
  assert.equal(sent[0]!.packet.options.get(53)![0], MSG.ACK);
  assert.equal(sent[0]!.packet.file, 'snponly.efi');
});

test('relay (giaddr): reply unicast to the relay on the server port', async () => {
  const { server, sent } = setup('full');
  await server.handle(
    request('02:00:00:00:00:03', MSG.DISCOVER, [], { giaddr: '10.77.0.254', hops: 1 }),
    { address: '10.77.0.254', port: 67 },
    'main',
  );
  assert.deepEqual([sent[0]!.address, sent[0]!.port], ['10.77.0.254', 67]);
  assert.equal(sent[0]!.packet.giaddr, '10.77.0.254');
});

test('reservations, NAK for a foreign address, full pool is counted, rate limit', async () => {
  const { server, sent } = setup('full', { rateLimit: { packets: 3, windowMs: 60_000 } });
  await server.handle(request('52:54:00:00:00:99', MSG.DISCOVER), from, 'main');
  assert.equal(sent[0]!.packet.yiaddr, '10.77.0.50');
  await server.handle(
    request('02:00:00:00:00:04', MSG.REQUEST, [[50, Buffer.from([192, 168, 1, 9])]]),
    from,
    'main',
  );
  assert.equal(sent[1]!.packet.options.get(53)![0], MSG.NAK);
  // Three addresses bound (REQUEST), then a fourth client: the pool is really full.
  for (let i = 0; i < 3; i++) {
    const mac = `02:00:00:00:01:0${i}`;
    await server.handle(request(mac, MSG.DISCOVER), from, 'main');
    const ip = Buffer.from(sent.at(-1)!.packet.yiaddr.split('.').map(Number));
    await server.handle(request(mac, MSG.REQUEST, [[50, ip]]), from, 'main');
    assert.equal(sent.at(-1)!.packet.options.get(53)![0], MSG.ACK);
  }
  await server.handle(request('02:00:00:00:01:03', MSG.DISCOVER), from, 'main');
  assert.equal(server.stats.dropReasons['pool-full'], 1, 'three addresses bound, a fourth client');
  for (let i = 0; i < 3; i++) await server.handle(request('02:00:00:00:01:03', MSG.DISCOVER), from, 'main');
  assert.ok((server.stats.dropReasons['rate-limit'] ?? 0) >= 1);
});

test('the address check skips an address in use and parks it', async () => {
  const store = new LeaseStore(':memory:');
  const alloc = new Allocator(store, {
    pool: { start: '10.77.0.100', end: '10.77.0.110' },
    reservations: new Map(),
    serverAddress: '10.77.0.1',
    leaseMs: 60_000,
    inUse: async (ip) => ip === '10.77.0.100',
  });
  const lease = await alloc.offer('02:00:00:00:00:05', undefined, 1000);
  assert.equal(lease?.ip, '10.77.0.101');
  assert.equal(store.byAddress('10.77.0.100')?.state, 'declined');
  // Concurrent offers never collide.
  const many = await Promise.all(
    Array.from({ length: 9 }, (_, i) => alloc.offer(`02:00:00:00:02:0${i}`, undefined, 1000)),
  );
  const ips = many.map((l) => l?.ip);
  assert.equal(new Set(ips).size, 9);
});

test('a DISCOVER flood from random MACs holds nothing: a real client still gets an address and its lease', async () => {
  const { server, sent, store } = setup('full');
  for (let i = 0; i < 2000; i++) {
    const mac = `02:${[i >> 8, i & 255, 1, 2, 3].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    await server.handle(request(mac, MSG.DISCOVER), from, 'main');
  }
  assert.equal(sent.length, 2000, 'every flood DISCOVER got an offer (offers recycle the 3 addresses)');
  assert.equal(store.list().length, 0, 'offers are not written as leases');
  const real = '52:54:00:12:34:56';
  await server.handle(request(real, MSG.DISCOVER), from, 'main');
  const offered = sent.at(-1)!.packet.yiaddr;
  // More flood between the OFFER and the REQUEST reclaims that offer; the REQUEST still binds the address.
  for (let i = 0; i < 10; i++)
    await server.handle(request(`02:ff:00:00:00:0${i}`, MSG.DISCOVER), from, 'main');
  await server.handle(
    request(real, MSG.REQUEST, [[50, Buffer.from(offered.split('.').map(Number))]]),
    from,
    'main',
  );
  assert.equal(sent.at(-1)!.packet.options.get(53)![0], MSG.ACK);
  assert.equal(store.byMacAddress(real)?.state, 'bound');
  assert.equal(server.stats.dropReasons['pool-full'], undefined);
});

test('frames with no usable client MAC get no offer and are counted by reason', async () => {
  const { server, sent } = setup('full');
  const bad: Array<[string, Partial<DhcpPacket>, string]> = [
    ['02:00:00:00:00:01', { hlen: 0 }, 'no-client-mac'],
    ['02:00:00:00:00:01', { hlen: 16 }, 'bad-mac-length'],
    ['00:00:00:00:00:00', {}, 'zero-mac'],
    ['ff:ff:ff:ff:ff:ff', {}, 'multicast-mac'],
    ['01:00:5e:00:00:01', {}, 'multicast-mac'],
  ];
  for (const [mac, fields] of bad) await server.handle(request(mac, MSG.DISCOVER, [], fields), from, 'main');
  assert.equal(sent.length, 0);
  assert.equal(server.stats.dropped, bad.length);
  for (const [, , reason] of bad) assert.ok((server.stats.dropReasons[reason] ?? 0) >= 1, reason);
  const proxy = setup('proxy');
  const pxe: [number, Buffer][] = [[60, Buffer.from('PXEClient:Arch:00000:UNDI:002001')]];
  await proxy.server.handle(request('00:00:00:00:00:00', MSG.DISCOVER, pxe), from, 'main');
  assert.equal(proxy.sent.length, 0);
});

test('an address found free is not checked again for every DISCOVER, and checks run a bounded number at once', async () => {
  const store = new LeaseStore(':memory:');
  const checked: string[] = [];
  const alloc = new Allocator(store, {
    pool: { start: '10.77.0.100', end: '10.77.0.103' },
    reservations: new Map(),
    serverAddress: '10.77.0.1',
    leaseMs: 60_000,
    maxChecks: 2,
    inUse: async (ip) => {
      checked.push(ip);
      await new Promise((r) => setTimeout(r, 20));
      return false;
    },
  });
  const first = await Promise.all(
    Array.from({ length: 4 }, (_, i) => alloc.offer(`02:00:00:00:03:0${i}`, undefined, 1000)),
  );
  assert.equal(first.filter(Boolean).length, 2, 'two checks at once; the others wait for their retry');
  assert.equal(alloc.lastMiss, 'checks-busy');
  for (let i = 0; i < 200; i++)
    await alloc.offer(`02:00:00:00:04:${(i & 255).toString(16)}`, undefined, 2000);
  assert.ok(checked.length <= 4 + 8, `checked ${checked.length} times for 4 addresses`);
});

test('default pool: .100–.199 of a /24, the upper half of a smaller subnet', async () => {
  const { defaultPool } = await import('../../../services/dhcp/allocator.js');
  assert.deepEqual(defaultPool('10.77.0.1', '255.255.255.0'), { start: '10.77.0.100', end: '10.77.0.199' });
  assert.deepEqual(defaultPool('10.0.0.1', '255.255.255.128'), { start: '10.0.0.64', end: '10.0.0.126' });
  assert.deepEqual(defaultPool('172.16.5.1', '255.255.0.0'), { start: '172.16.0.100', end: '172.16.0.199' });
});

test('proxy mode learns IP→MAC from the REQUEST to the other server and from port 4011', async () => {
  const { server, acks } = setup('proxy');
  await server.handle(capture('ovmf-pxe', 4), from, 'main');
  const requested = decodePacket(capture('ovmf-pxe', 4)).options.get(50)!;
  assert.deepEqual(acks, [`${[...requested].join('.')}=52:54:00:12:34:56`]);
  await server.handle(capture('ovmf-pxe', 4), { address: '10.77.0.140', port: 4011 }, 'proxy');
  assert.equal(acks[1], '10.77.0.140=52:54:00:12:34:56');
});

test('vendor from the MAC prefix', async () => {
  const { vendorFromMac } = await import('../../../services/dhcp/oui.js');
  assert.equal(vendorFromMac('52:54:00:12:34:56'), 'QEMU/KVM');
  assert.equal(vendorFromMac('B8:27:EB:00:00:01'), 'Raspberry Pi');
  assert.equal(vendorFromMac('02:00:00:00:00:01'), 'locally administered');
  assert.equal(vendorFromMac('00:11:22:33:44:55'), undefined);
});
