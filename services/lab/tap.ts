import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Tap devices for test-boot VMs on Linux: one tap per VM, enslaved to the bridge Bootlab serves, so the VM
 * sees Bootlab's DHCP, TFTP and HTTP exactly like a machine on the bench cable. Needs CAP_NET_ADMIN.
 * Only ever creates and deletes its own "bltap…" devices; never changes an existing interface.
 */
const run = promisify(execFile);

/** Why a tap on `bridge` is not possible here, or undefined when it is. */
export function tapUnavailableReason(bridge: string | null): string | undefined {
  if (process.platform !== 'linux') return 'tap networking is Linux-only';
  if (!bridge) return 'no interface is selected for the boot services';
  if (!existsSync(`/sys/class/net/${bridge}/bridge`)) {
    return `the boot services listen on ${bridge}, which is not a Linux bridge (a VM can only join a bridge)`;
  }
  if (!existsSync('/dev/net/tun')) return '/dev/net/tun is missing (tun module not loaded)';
  if (process.getuid?.() !== 0) return 'creating a tap device needs root (or CAP_NET_ADMIN)';
  return undefined;
}

/** Creates a tap device attached to `bridge` and returns its name. */
export async function createTap(bridge: string): Promise<string> {
  const name = `bltap${randomBytes(3).toString('hex')}`;
  await run('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
  try {
    await run('ip', ['link', 'set', name, 'master', bridge, 'up']);
  } catch (err) {
    await deleteTap(name);
    throw err;
  }
  return name;
}

export async function deleteTap(name: string): Promise<void> {
  if (!/^bltap[0-9a-f]{6}$/.test(name)) return; // only ever our own devices
  try {
    await run('ip', ['link', 'del', name]);
  } catch {
    /* already gone */
  }
}
