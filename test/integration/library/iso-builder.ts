import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Builds small ISO images with xorriso (Debian package xorriso) in a given file layout, for the boot
 * library's tests: Rock Ridge + Joliet names, optional El Torito BIOS (no emulation) and EFI images.
 */

export function xorrisoMissing(): string | undefined {
  return spawnSync('xorriso', ['-version']).status === 0
    ? undefined
    : 'xorriso is not installed (Debian package xorriso)';
}

export interface IsoSpec {
  volumeId: string;
  /** Path inside the ISO → content (string or bytes); folders are made as needed. */
  files: Record<string, string | Buffer>;
  /** Path of a file in `files` used as the BIOS no-emulation boot image. */
  biosBoot?: string;
  /** Path of a file in `files` used as the EFI boot image (El Torito platform 0xEF). */
  efiBoot?: string;
}

export function buildIso(out: string, spec: IsoSpec): void {
  const tree = mkdtempSync(join(tmpdir(), 'bootlab-isotree-'));
  try {
    for (const [p, content] of Object.entries(spec.files)) {
      mkdirSync(dirname(join(tree, p)), { recursive: true });
      writeFileSync(join(tree, p), content);
    }
    const args = ['-as', 'mkisofs', '-quiet', '-o', out, '-V', spec.volumeId, '-J', '-joliet-long', '-R'];
    if (spec.biosBoot)
      args.push('-b', spec.biosBoot, '-c', 'boot.cat', '-no-emul-boot', '-boot-load-size', '4');
    if (spec.efiBoot) {
      if (spec.biosBoot) args.push('-eltorito-alt-boot');
      else args.push('-c', 'boot.cat');
      args.push('-e', spec.efiBoot, '-no-emul-boot');
    }
    args.push(tree);
    const r = spawnSync('xorriso', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`xorriso failed: ${r.stderr}`);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
