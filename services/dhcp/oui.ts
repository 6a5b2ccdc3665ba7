/**
 * A small built-in OUI table (IEEE MA-L prefixes) for the vendors a boot lab meets most: hypervisors, NIC
 * makers, server and single-board vendors. Not the whole IEEE registry (30,000+ entries); unknown prefixes
 * say so, and locally administered MACs (bit 1 of the first byte) are named as such.
 */
const OUI: Record<string, string> = {
  '52:54:00': 'QEMU/KVM',
  '08:00:27': 'VirtualBox',
  '00:50:56': 'VMware',
  '00:0c:29': 'VMware',
  '00:05:69': 'VMware',
  '00:15:5d': 'Microsoft Hyper-V',
  '00:16:3e': 'Xen',
  '00:1b:21': 'Intel',
  '00:15:17': 'Intel',
  'a0:36:9f': 'Intel',
  '00:e0:4c': 'Realtek',
  '00:14:22': 'Dell',
  'f8:bc:12': 'Dell',
  'b8:ac:6f': 'Dell',
  '00:25:90': 'Supermicro',
  'ac:1f:6b': 'Supermicro',
  'b8:27:eb': 'Raspberry Pi',
  'dc:a6:32': 'Raspberry Pi',
  'e4:5f:01': 'Raspberry Pi',
};

export function vendorFromMac(mac: string): string | undefined {
  const prefix = mac.toLowerCase().slice(0, 8);
  const known = OUI[prefix];
  if (known) return known;
  const first = parseInt(prefix.slice(0, 2), 16);
  if (Number.isFinite(first) && (first & 0x02) !== 0) return 'locally administered';
  return undefined;
}
