/**
 * What the UI may see of the test-boot lab, and what it may ask for (Node-free: zod and types only, so the
 * renderer and services/api/contract-lab.ts can import it).
 */
import { z } from 'zod';
import { macSchema } from '../shared/address.js';

export const testBootRequestSchema = z.object({
  /** bios: SeaBIOS + iPXE ROM; uefi: OVMF's own PXE (a non-iPXE client); uefi-ipxe: OVMF + iPXE ROM. */
  firmware: z.enum(['bios', 'uefi', 'uefi-ipxe']).default('bios'),
  nic: z.enum(['virtio', 'e1000', 'rtl8139']).default('virtio'),
  memoryMb: z.number().int().min(128).max(8192).default(512),
  /**
   * bridge: a tap on the bridge Bootlab serves (whole DHCP -> TFTP -> HTTP path; Linux, privileged);
   * user: QEMU user networking (HTTP menu only); auto: bridge when possible, else user.
   */
  network: z.enum(['auto', 'bridge', 'user']).default('auto'),
  /** Optional fixed MAC, e.g. to test a per-host assignment. */
  mac: macSchema.optional(),
  /** kvm is faster but does not work on every machine; tcg always works. */
  accel: z.enum(['tcg', 'kvm']).default('tcg'),
});
export type TestBootRequest = z.infer<typeof testBootRequestSchema>;
export type TestBootRequestInput = z.input<typeof testBootRequestSchema>;

export interface TestBootVm {
  id: string;
  firmware: TestBootRequest['firmware'];
  nic: TestBootRequest['nic'];
  memoryMb: number;
  mac: string;
  network: 'bridge' | 'user';
  /** What this run does not exercise, e.g. "QEMU user networking: Bootlab's DHCP and TFTP are not used". */
  note?: string;
  state: 'running' | 'exited';
  exitCode?: number | null;
  startedAt: string;
  /** Boot stage end times, ms since start: firmware-dhcp, first-stage, ipxe-dhcp, script, kernel. */
  stages: { stage: string; atMs: number; durationMs: number }[];
}

export interface LabCapabilities {
  qemu: boolean;
  /** Per firmware: undefined when it can run, else what to install. */
  firmware: Record<TestBootRequest['firmware'], string | undefined>;
  /** undefined when VMs can join the served bridge; else why they get user networking. */
  bridge: string | undefined;
}
