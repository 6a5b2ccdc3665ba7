import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Golden DHCP packets captured from real firmware (test/fixtures/dhcp/*.json, made by capture.sh). */
export interface CapturedPacket {
  capture: string;
  index: number;
  srcPort: number;
  dstPort: number;
  hex: string;
  note?: string;
}

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/dhcp');

export function loadCaptures(): CapturedPacket[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as CapturedPacket[]);
}

export function capture(name: string, index: number): Buffer {
  const p = loadCaptures().find((c) => c.capture === name && c.index === index);
  if (!p) throw new Error(`no fixture ${name}#${index}`);
  return Buffer.from(p.hex, 'hex');
}
