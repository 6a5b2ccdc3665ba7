/**
 * A tiny writer for the "newc" cpio format the Linux kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Writing it ourselves means no root is needed
 * for the /dev/console device node and the archive is byte-for-byte reproducible (fixed mtimes and inodes).
 */

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(len: number): Buffer {
  return Buffer.alloc((4 - (len % 4)) % 4);
}

function record(
  ino: number,
  name: string,
  mode: number,
  data: Buffer,
  rdev: { major: number; minor: number },
): Buffer[] {
  const nameBuf = Buffer.from(`${name}\0`, 'utf8');
  // Header fields in order: magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
  // rdevmajor, rdevminor, namesize, check (buffer-format.rst, "newc" = 070701).
  const header =
    '070701' +
    [ino, mode, 0, 0, mode & S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev.major, rdev.minor, nameBuf.length, 0]
      .map(hex8)
      .join('');
  const head = Buffer.concat([Buffer.from(header, 'ascii'), nameBuf]);
  return [head, pad4(head.length), data, pad4(data.length)];
}

/** Builds a complete newc archive (with the TRAILER!!! record) from the entries, in the given order. */
export function buildCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '');
    const none = { major: 0, minor: 0 };
    switch (e.type) {
      case 'dir':
        parts.push(...record(ino++, path, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0), none));
        break;
      case 'file':
        parts.push(...record(ino++, path, S_IFREG | (e.mode ?? 0o644), e.data, none));
        break;
      case 'symlink':
        parts.push(...record(ino++, path, S_IFLNK | 0o777, Buffer.from(e.target, 'utf8'), none));
        break;
      case 'chardev':
        parts.push(
          ...record(ino++, path, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), {
            major: e.major,
            minor: e.minor,
          }),
        );
        break;
    }
  }
  parts.push(...record(0, 'TRAILER!!!', 0, Buffer.alloc(0), { major: 0, minor: 0 }));
  return Buffer.concat(parts);
}
