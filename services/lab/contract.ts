/**
 * Test-boot lab routes of the control API (to be merged into ApiRoutes like contract-menu.ts). Pure: zod
 * and types only, so the renderer can `import type` it.
 */
import { z } from 'zod';

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
  mac: z
    .string()
    .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'a MAC address like 52:54:00:12:34:56')
    .optional(),
  /** kvm is faster but does not work on every machine; tcg always works. */
  accel: z.enum(['tcg', 'kvm']).default('tcg'),
});
export type TestBootRequest = z.infer<typeof testBootRequestSchema>;
export type TestBootRequestInput = z.input<typeof testBootRequestSchema>;

export const testBootInputSchema = z.object({ data: z.string().max(4096) });

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

export interface LabRoutes {
  'GET /api/lab': { body: undefined; response: { capabilities: LabCapabilities; vms: TestBootVm[] } };
  'POST /api/lab/vms': { body: TestBootRequestInput; response: { vm: TestBootVm } };
  'GET /api/lab/vms/:id/console': { body: undefined; response: { data: string } };
  'POST /api/lab/vms/:id/input': { body: z.infer<typeof testBootInputSchema>; response: { ok: true } };
  'POST /api/lab/vms/:id/reset': { body: undefined; response: { vm: TestBootVm } };
  'POST /api/lab/vms/:id/stop': { body: undefined; response: { vm: TestBootVm } };
}

export const labBodySchemas = {
  'POST /api/lab/vms': testBootRequestSchema,
  'POST /api/lab/vms/:id/input': testBootInputSchema,
} as const;
