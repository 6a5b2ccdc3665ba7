import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { BootlabError, isErrnoException } from '../shared/errors.js';

export type Transport = 'udp' | 'tcp';

export interface BindTarget {
  /** Human name of what was binding, e.g. "DHCP server". */
  service: string;
  transport: Transport;
  address: string;
  port: number;
}

/** Ports below 1024 need privileges on Unix-like systems. */
export function isPrivilegedPort(port: number): boolean {
  return port > 0 && port < 1024;
}

/** How to grant the right to bind low ports, for the platform we run on. */
export function privilegeHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'linux':
      return (
        'Run Bootlab as root (sudo bootlab serve), or let Node bind low ports without root: ' +
        'sudo setcap cap_net_bind_service+ep "$(readlink -f "$(which node)")". ' +
        'The desktop app asks for this itself when you press Start.'
      );
    case 'darwin':
      return 'Run Bootlab with sudo (sudo bootlab serve); macOS lets only root bind ports below 1024.';
    case 'win32':
      return 'Run Bootlab as administrator (right-click > Run as administrator), and allow it through Windows Firewall.';
    default:
      return 'Run Bootlab as root or administrator, or choose a port above 1023 in Settings.';
  }
}

/**
 * Finds which process holds a local port, on Linux only: /proc/net/{udp,tcp} gives the socket inode,
 * and /proc/<pid>/fd links name the owner. Returns undefined where the OS will not tell us.
 */
export function findPortOwner(
  transport: Transport,
  port: number,
): { pid: number; command: string } | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const inodes = new Set<string>();
    for (const file of [`/proc/net/${transport}`, `/proc/net/${transport}6`]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        const local = cols[1];
        const inode = cols[9];
        if (!local || !inode) continue;
        const hexPort = local.split(':')[1];
        if (hexPort && parseInt(hexPort, 16) === port && inode !== '0') inodes.add(inode);
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pidDir of readdirSync('/proc')) {
      if (!/^\d+$/.test(pidDir)) continue;
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pidDir}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          const link = readlinkSync(`/proc/${pidDir}/fd/${fd}`);
          const m = /^socket:\[(\d+)\]$/.exec(link);
          if (m && inodes.has(m[1]!)) {
            const command = readFileSync(`/proc/${pidDir}/comm`, 'utf8').trim();
            return { pid: Number(pidDir), command };
          }
        } catch {
          /* the process went away or is not ours to read */
        }
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Explains a failed bind() in words a technician can act on. */
export function explainBindError(err: unknown, target: BindTarget): BootlabError {
  const where = `${target.transport.toUpperCase()} ${target.address}:${target.port}`;
  const details = { ...target, errno: isErrnoException(err) ? err.code : undefined };
  const code = isErrnoException(err) ? err.code : undefined;
  if (code === 'EACCES' || code === 'EPERM') {
    return new BootlabError(
      'PORT_NEEDS_PRIVILEGE',
      `The ${target.service} could not open port ${target.port} (${where}): ports below 1024 need administrator rights.`,
      privilegeHint(),
      details,
    );
  }
  if (code === 'EADDRINUSE') {
    const owner = findPortOwner(target.transport, target.port);
    const who = owner ? ` by ${owner.command} (process ${owner.pid})` : ' by another program';
    const stop = owner
      ? `Stop ${owner.command} (for example: sudo kill ${owner.pid}, or stop its service), or choose another port in Settings.`
      : 'Stop the other program (on Linux, "sudo ss -lunp" or "sudo ss -ltnp" shows which), or choose another port in Settings.';
    return new BootlabError(
      'PORT_IN_USE',
      `The ${target.service} could not open ${where}: the port is already in use${who}.`,
      stop,
      { ...details, owner },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new BootlabError(
      'ADDRESS_NOT_AVAILABLE',
      `The ${target.service} could not listen on ${target.address}: this computer no longer has that address.`,
      'Check the network cable and the interface chosen in Settings, then press Start again.',
      details,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BootlabError(
    'INTERNAL',
    `The ${target.service} could not open ${where}: ${message}.`,
    'Check the interface and port in Settings.',
    details,
  );
}
