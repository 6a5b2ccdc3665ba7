import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * "Is this address already used by some machine?" before offering it (RFC 2131 §3.1 step 2: the server
 * SHOULD probe, e.g. with ICMP echo). Each check is its own child process, so checks for different
 * clients run side by side; nothing waits for another client's check (dnsmasq's serialized ping check
 * costs it ~3 s per new client under load).
 */
export type AddressCheckMethod = 'ping' | 'arp' | 'off';

/** A complete (flags 0x2) entry in the kernel's ARP cache for `ip`, with the MAC it maps to. */
export async function arpEntry(ip: string, table = '/proc/net/arp'): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(table, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n').slice(1)) {
    const [addr, , flags, mac] = line.trim().split(/\s+/);
    if (addr === ip && flags && (parseInt(flags, 16) & 0x2) !== 0 && mac && mac !== '00:00:00:00:00:00')
      return mac.toLowerCase();
  }
  return undefined;
}

/** One ICMP echo with a one-second wait (`ping -c1 -W1`); true when something answered. */
export function pingOnce(ip: string, waitSeconds = 1): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('ping', ['-n', '-q', '-c', '1', '-W', String(waitSeconds), ip], { stdio: 'ignore' });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), (waitSeconds + 1) * 1000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false); // no ping binary: cannot tell, treat as free (the ARP cache was checked first)
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** True when the address answers (ARP cache entry for another MAC, or an ICMP echo reply). */
export async function addressInUse(
  ip: string,
  method: AddressCheckMethod,
  forMac?: string,
): Promise<boolean> {
  if (method === 'off') return false;
  const mac = await arpEntry(ip);
  if (mac && mac !== forMac) return true;
  if (method === 'arp') return false;
  return pingOnce(ip);
}
