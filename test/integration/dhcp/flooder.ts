/**
 * A bounded DHCP flood, run inside a test namespace: `frames` datagrams spread over `seconds`, a mix of
 * random-MAC DISCOVERs (plain and PXE) and garbage (random bytes, truncated headers, hlen 0, all-zero,
 * broadcast and multicast MACs, a wrong hlen). Sent only to `to` (the namespace LAN's own server).
 * argv[2] JSON: { frames, seconds, bind: "ip:port", to: "ip:port" }. Prints one JSON line with the counts.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { clientRequest, encodePacket, FLAG_BROADCAST } from '../../../services/dhcp/codec.js';
import { MSG, OPT, u8 } from '../../../services/dhcp/options.js';

const a = JSON.parse(process.argv[2]!) as { frames: number; seconds: number; bind: string; to: string };
const [bindIp, bindPort] = a.bind.split(':');
const [toIp, toPort] = a.to.split(':');

const hex = (b: Buffer): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
/** A random locally administered unicast MAC (02:…), as a flood tool makes them. */
const randomMac = (): string => {
  const b = randomBytes(6);
  b[0] = (b[0]! & 0xfc) | 0x02;
  return hex(b);
};
const discover = (mac: string, extra: [number, Buffer][] = [], fields = {}): Buffer =>
  encodePacket(
    clientRequest(mac, randomBytes(4).readUInt32BE(0), [[OPT.messageType, u8(MSG.DISCOVER)], ...extra], {
      flags: FLAG_BROADCAST,
      ...fields,
    }),
  );
const pxe: [number, Buffer][] = [
  [60, Buffer.from('PXEClient:Arch:00000:UNDI:002001')],
  [93, Buffer.from([0, 0])],
];

type Kind = (typeof KINDS)[number][0];
const KINDS = [
  ['random-mac', 50, () => discover(randomMac())],
  ['random-mac-pxe', 15, () => discover(randomMac(), pxe)],
  ['random-bytes', 8, () => randomBytes(1 + (randomBytes(2).readUInt16BE(0) % 600))],
  ['truncated', 5, () => discover(randomMac()).subarray(0, 100 + (randomBytes(1)[0]! % 130))],
  ['hlen-0', 5, () => discover(randomMac(), [], { hlen: 0 })],
  ['hlen-16', 4, () => discover(randomMac(), [], { hlen: 16 })],
  ['zero-mac', 5, () => discover('00:00:00:00:00:00')],
  ['broadcast-mac', 4, () => discover('ff:ff:ff:ff:ff:ff')],
  ['multicast-mac', 4, () => discover('01:00:5e:7f:00:01')],
] as const;
const weights = KINDS.reduce((n, k) => n + k[1], 0);
function pick(): (typeof KINDS)[number] {
  let r = Math.random() * weights;
  for (const k of KINDS) if ((r -= k[1]) < 0) return k;
  return KINDS[0];
}

const sock = createSocket({ type: 'udp4', reuseAddr: true });
const counts: Record<string, number> = {};
let sent = 0;
let errors = 0;
sock.bind(Number(bindPort), bindIp, () => {
  sock.setBroadcast(true);
  const start = Date.now();
  const tickMs = 10;
  const perTick = Math.ceil(a.frames / ((a.seconds * 1000) / tickMs));
  const tick = (): void => {
    // Catch up to the schedule, never beyond `frames`: the flood is bounded in count and time.
    const due = Math.min(
      a.frames,
      Math.ceil(((Date.now() - start) / (a.seconds * 1000)) * a.frames) + perTick,
    );
    while (sent < due) {
      const [kind, , make] = pick();
      counts[kind as Kind] = (counts[kind as Kind] ?? 0) + 1;
      sent++;
      sock.send(make(), Number(toPort), toIp, (err) => {
        if (err) errors++;
      });
    }
    if (sent < a.frames) setTimeout(tick, tickMs);
    else
      setTimeout(() => {
        process.stdout.write(
          JSON.stringify({ sent, errors, seconds: (Date.now() - start) / 1000, counts }) + '\n',
        );
        sock.close();
      }, 200);
  };
  tick();
});
