import { copyFileSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import { FEATURES, type FeatureId, type ServeSlot } from './catalogue.js';
import type { ArtifactRecord } from './artifact-store.js';
import type { ServedBuildInfo } from './views.js';

/**
 * Making a built image the first stage DHCP hands out: it is copied into the boot root under
 * bootlab-ipxe/<slot>/<file> (the file keeps its own name, so DHCP's iPXE-binary check still knows it)
 * with a sidecar <file>.bootlab.json that says what it was built with; the DHCP page reads the sidecar for
 * its "lacks" column (services/dhcp/first-stage.ts). TFTP and HTTP serve it like any boot-root file.
 */

export const SERVED_DIR = 'bootlab-ipxe';
const SIDECAR = '.bootlab.json';

/** The profile's dhcp.firstStage key for each slot. */
export const SLOT_PROFILE_KEY: Record<ServeSlot, 'bios' | 'efiX64' | 'efiArm64'> = {
  bios: 'bios',
  'efi-x64': 'efiX64',
  'efi-arm64': 'efiArm64',
};

export function servedName(slot: ServeSlot, file: string): string {
  return `${SERVED_DIR}/${slot}/${file}`;
}

/** Copies the artifact into the boot root (atomically) and writes its sidecar; returns the served name. */
export function serveArtifact(a: ArtifactRecord, slot: ServeSlot, bootRoot: string): string {
  const name = servedName(slot, a.file);
  const dest = join(bootRoot, name);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(a.path, `${dest}.tmp`);
  renameSync(`${dest}.tmp`, dest);
  const info: ServedBuildInfo = {
    artifactId: a.id,
    target: a.target,
    features: a.features,
    sourceVersion: a.sourceVersion,
    sha256: a.sha256,
  };
  writeFileAtomicSync(`${dest}${SIDECAR}`, JSON.stringify(info, null, 2));
  return name;
}

/** What Bootlab built a served file with, or undefined for a file it did not build. */
export function servedBuildInfo(path: string): ServedBuildInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(`${path}${SIDECAR}`, 'utf8')) as ServedBuildInfo;
    return Array.isArray(info.features) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The Bootlab features (syslog, HTTPS, PeerDist) a build lacks, by their DHCP-page labels. */
export function lacksOf(features: readonly FeatureId[]): string[] {
  const bootlab: FeatureId[] = ['syslog', 'https', 'peerdist'];
  return bootlab.filter((f) => !features.includes(f)).map((f) => FEATURES.find((x) => x.id === f)!.label);
}

/** The first-stage report's line for a file Bootlab built. */
export function describeServed(info: ServedBuildInfo): { lacks: string[]; note: string } {
  const labels = info.features.map((f) => FEATURES.find((x) => x.id === f)?.label ?? f);
  return {
    lacks: lacksOf(info.features),
    note: `built by Bootlab from iPXE ${info.sourceVersion ?? '(unknown version)'} with ${labels.join(', ') || 'default features'}`,
  };
}
