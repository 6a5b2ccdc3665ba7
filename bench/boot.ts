// Test-boot benchmark: time from VM start to the payload's marker on the serial console, per boot path,
// Bootlab next to the reference stack (dnsmasq DHCP+TFTP + nginx HTTP) in the same lab, in the same run.
// Rounds alternate reference and Bootlab so machine load drifts hit both alike; the median is reported.
// Paths the reference stack has no recipe for here (proxy, undionly override) are measured for Bootlab only.
// Bounded: BOOTLAB_BENCH_BOOT_ROUNDS rounds (default 2) of at most 10 boots each (one a wave of 4), under TCG.
// Boot matrix (issue 16): UEFI HTTP Boot, Secure Boot (shim -> GRUB -> signed kernel) and ARM64 UEFI, each
// also booted by the reference stack with dnsmasq's usual recipe for it. ARM64 needs the iPXE cross build
// (test/helpers/ipxe-build.ts); without it that row says why it is missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LabFirmware, LabNicModel } from '../services/lab/qemu-args.js';
import type { BootStage } from '../services/lab/boot-timeline.js';
import {
  ensureBootPayload,
  markerCmdline,
  newMarker,
  type BootPayload,
} from '../test/helpers/boot-payload.js';
import { bootToMarker, labBootUnavailableReason } from '../test/helpers/lab-boot.js';
import { buildIpxe, ipxeBuildUnavailableReason } from '../test/helpers/ipxe-build.js';
import { BootlabInLab } from '../test/helpers/lab-bootlab.js';
import { LabNet } from '../test/helpers/lab-net.js';
import { ReferenceStack } from '../test/helpers/lab-reference.js';

interface PathSpec {
  name: string;
  firmware: LabFirmware;
  dhcp: 'full' | 'proxy';
  undionly?: boolean;
  /** A fixed MAC (the Secure Boot machine is chosen by MAC). */
  mac?: string;
  /** ARM64 machine: the arm64 payload, an ARM64 iPXE, its own servers. */
  arm64?: boolean;
  /** A wave: these machines start at once; the sample is the last one's marker (the bench is ready). */
  wave?: { firmware: LabFirmware; nic: LabNicModel }[];
  /** The reference stack boots this path too. */
  reference: boolean;
}

const SECURE_BOOT_MAC = '52:54:00:77:5b:0b';
const ARM64_BUILD = { target: 'bin-arm64-efi/snponly.efi', cross: 'aarch64-linux-gnu-' };

const PATHS: PathSpec[] = [
  { name: 'bios full', firmware: 'bios', dhcp: 'full', reference: true },
  { name: 'uefi (OVMF PXE) full', firmware: 'uefi', dhcp: 'full', reference: true },
  { name: 'uefi (iPXE ROM) full', firmware: 'uefi-ipxe', dhcp: 'full', reference: true },
  { name: 'bios via undionly.kpxe', firmware: 'bios', dhcp: 'full', undionly: true, reference: false },
  { name: 'bios proxy', firmware: 'bios', dhcp: 'proxy', reference: false },
  { name: 'uefi (OVMF PXE) proxy', firmware: 'uefi', dhcp: 'proxy', reference: false },
  { name: 'uefi HTTP Boot full', firmware: 'uefi-http', dhcp: 'full', reference: true },
  {
    name: 'uefi Secure Boot shim+grub',
    firmware: 'uefi-secureboot',
    dhcp: 'full',
    mac: SECURE_BOOT_MAC,
    reference: true,
  },
  { name: 'arm64 uefi full', firmware: 'arm64-uefi', dhcp: 'full', arm64: true, reference: true },
  {
    name: 'wave of 4 full (last)',
    firmware: 'bios',
    dhcp: 'full',
    reference: true,
    wave: [
      { firmware: 'bios', nic: 'e1000' },
      { firmware: 'bios', nic: 'rtl8139' },
      { firmware: 'uefi', nic: 'virtio' },
      { firmware: 'uefi-ipxe', nic: 'e1000' },
    ],
  },
];

const UNDIONLY_MAC = '52:54:00:77:0b:02';

interface Sample {
  markerMs: number;
  stages: Partial<Record<BootStage, number>>;
}

type Results = Record<string, { reference: Sample[]; bootlab: Sample[] }>;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function boot(
  lab: LabNet,
  path: PathSpec,
  marker: string,
  context: () => string,
): Promise<Sample | null> {
  try {
    if (path.wave) {
      // allSettled: every VM has stopped before the next path starts, even when one failed.
      const all = await Promise.allSettled(
        path.wave.map((m) => bootToMarker(lab, { ...m, marker, timeoutMs: 900_000 })),
      );
      const failed = all.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      const ms = all.map((r) => (r as PromiseFulfilledResult<{ markerAtMs: number }>).value.markerAtMs);
      return { markerMs: Math.max(...ms), stages: {} };
    }
    const r = await bootToMarker(lab, {
      firmware: path.firmware,
      marker,
      mac: path.mac ?? (path.undionly ? UNDIONLY_MAC : undefined),
    });
    const stages: Partial<Record<BootStage, number>> = {};
    for (const s of r.stages) stages[s.stage] = s.atMs;
    return { markerMs: r.markerAtMs, stages };
  } catch (err) {
    // One failed boot is reported and counted, and the run goes on (the e2e tests are the pass/fail gate).
    const e = err as Error & { hint?: string };
    failures.push({ path: path.name, error: e.message });
    console.log(`  FAILED ${path.name}: ${e.message}\n${(e.hint ?? '').slice(-1500)}\n${context()}`);
    return null;
  }
}

const failures: { path: string; error: string }[] = [];

interface Arm64Inputs {
  payload: BootPayload;
  ipxe: string;
}

async function referenceRound(
  lab: LabNet,
  payload: BootPayload,
  results: Results,
  arm64: Arm64Inputs | null,
): Promise<void> {
  await referenceSetup(lab, payload, results, false, null);
  if (arm64) await referenceSetup(lab, arm64.payload, results, true, arm64.ipxe);
}

async function referenceSetup(
  lab: LabNet,
  payload: BootPayload,
  results: Results,
  arm64: boolean,
  arm64Ipxe: string | null,
): Promise<void> {
  const marker = newMarker();
  // snponly.efi for OVMF, as Bootlab hands out, so the comparison is about the servers, not the first stage.
  const ref = await ReferenceStack.start(lab, {
    payload,
    cmdline: markerCmdline(marker, arm64 ? 'ttyAMA0' : 'ttyS0'),
    efiFirstStage: 'snponly.efi',
    httpBoot: true,
    secureBootMac: arm64 ? undefined : SECURE_BOOT_MAC,
    arm64FirstStage: arm64Ipxe ?? undefined,
  });
  try {
    for (const path of PATHS.filter((p) => p.reference && !!p.arm64 === arm64)) {
      const s = await boot(
        lab,
        path,
        marker,
        () => `--- reference servers (end) ---\n${ref.log.join('').slice(-2000)}`,
      );
      if (!s) continue;
      results[path.name]!.reference.push(s);
      console.log(`  reference ${path.name}: ${(s.markerMs / 1000).toFixed(1)} s`);
    }
  } finally {
    ref.stop();
  }
}

async function bootlabRound(
  lab: LabNet,
  payload: BootPayload,
  results: Results,
  arm64: Arm64Inputs | null,
): Promise<void> {
  // One Bootlab per setup (full with the undionly override and the Secure Boot machine, then proxy, then
  // full for ARM64 with its payload and iPXE in the boot root), one marker each.
  const setups = ['full', 'proxy', ...(arm64 ? ['arm64' as const] : [])] as const;
  for (const setup of setups) {
    const dhcp = setup === 'proxy' ? 'proxy' : 'full';
    const marker = newMarker();
    if (dhcp === 'proxy') lab.startAddressOnlyDhcp();
    const bl = await BootlabInLab.start(lab, {
      payload: setup === 'arm64' ? arm64!.payload : payload,
      cmdline: markerCmdline(marker, setup === 'arm64' ? 'ttyAMA0' : 'ttyS0'),
      dhcp,
      overrides: setup === 'full' ? [{ mac: UNDIONLY_MAC, bootFile: 'undionly.kpxe' }] : undefined,
      secureBoot: setup === 'full' ? { hosts: [{ mac: SECURE_BOOT_MAC, chain: 'signed' }] } : undefined,
      bootRootFiles: setup === 'arm64' ? { 'ipxe-arm64.efi': arm64!.ipxe } : undefined,
    });
    try {
      for (const path of PATHS.filter((p) => p.dhcp === dhcp && !!p.arm64 === (setup === 'arm64'))) {
        const s = await boot(
          lab,
          path,
          marker,
          () => `--- bootlab (end) ---\n${bl.tail(2000)}\n--- side dnsmasq (end) ---\n${lab.sideLog(2000)}`,
        );
        if (!s) continue;
        results[path.name]!.bootlab.push(s);
        console.log(`  bootlab   ${path.name}: ${(s.markerMs / 1000).toFixed(1)} s`);
      }
    } finally {
      await bl.stop();
      if (dhcp === 'proxy') await lab.stopAddressOnlyDhcp();
    }
  }
}

export async function run(): Promise<void> {
  const outFile = fileURLToPath(new URL('./results/boot.json', import.meta.url));
  mkdirSync(fileURLToPath(new URL('./results', import.meta.url)), { recursive: true });
  const skip = labBootUnavailableReason('uefi');
  if (skip) {
    console.log(`boot benchmark skipped: ${skip}`);
    writeFileSync(
      outFile,
      JSON.stringify({ area: 'boot', date: new Date().toISOString(), skipped: skip }, null, 2),
    );
    return;
  }
  const rounds = Math.max(1, Math.min(5, Number(process.env.BOOTLAB_BENCH_BOOT_ROUNDS ?? 2)));
  const payload = ensureBootPayload();
  // ARM64: the cross-built iPXE and the arm64 payload; when they cannot be had, the row says why.
  let arm64: Arm64Inputs | null = null;
  const arm64Missing = labBootUnavailableReason('arm64-uefi') ?? ipxeBuildUnavailableReason(ARM64_BUILD);
  if (arm64Missing) {
    console.log(`ARM64 rows skipped: ${arm64Missing}`);
  } else {
    arm64 = { payload: ensureBootPayload({ arch: 'arm64' }), ipxe: (await buildIpxe(ARM64_BUILD))[0]! };
  }
  const results: Results = Object.fromEntries(PATHS.map((p) => [p.name, { reference: [], bootlab: [] }]));
  const lab = LabNet.create();
  try {
    for (let r = 0; r < rounds; r++) {
      console.log(`round ${r + 1}/${rounds}`);
      // Alternate which stack goes first, so a slow start of the machine does not favour one.
      if (r % 2 === 0) {
        await referenceRound(lab, payload, results, arm64);
        await bootlabRound(lab, payload, results, arm64);
      } else {
        await bootlabRound(lab, payload, results, arm64);
        await referenceRound(lab, payload, results, arm64);
      }
    }
  } finally {
    lab.destroy();
  }

  const rows = PATHS.map((p) => {
    const ref = median(results[p.name]!.reference.map((s) => s.markerMs));
    const bl = median(results[p.name]!.bootlab.map((s) => s.markerMs));
    const stageMedians = (samples: Sample[]): Partial<Record<BootStage, number>> => {
      const out: Partial<Record<BootStage, number>> = {};
      for (const st of [
        'firmware-dhcp',
        'first-stage',
        'ipxe-dhcp',
        'script',
        'kernel',
        'marker',
      ] as BootStage[]) {
        const m = median(samples.flatMap((s) => (s.stages[st] === undefined ? [] : [s.stages[st]!])));
        if (m !== null) out[st] = Math.round(m);
      }
      return out;
    };
    return {
      path: p.name,
      referenceMs: ref === null ? null : Math.round(ref),
      bootlabMs: bl === null ? null : Math.round(bl),
      ratio: ref && bl ? Number((bl / ref).toFixed(2)) : null,
      scriptRatio: null as number | null,
      referenceStages: stageMedians(results[p.name]!.reference),
      bootlabStages: stageMedians(results[p.name]!.bootlab),
    };
  });

  for (const r of rows) {
    const rs = r.referenceStages.script;
    const bs = r.bootlabStages.script;
    r.scriptRatio = rs && bs ? Number((bs / rs).toFixed(2)) : null;
  }
  const sec = (ms: number | null | undefined): string => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  const ratio = (bl: number | null | undefined, ref: number | null | undefined): string =>
    bl != null && ref ? (bl / ref).toFixed(2) : 'n/a';
  console.log(`\nMedian of ${rounds} rounds, TCG, ${payload.kernelPackage} ${payload.kernelVersion}.`);
  console.log('"script" = VM start until the iPXE script is loaded (the servers\' part: DHCP, TFTP, HTTP);');
  console.log(
    '"marker" = VM start until the payload prints its marker (adds kernel download + guest boot, CPU-bound).',
  );
  console.log('path                      script: ref   bootlab  ratio | marker: ref   bootlab  ratio');
  for (const r of rows) {
    const rs = r.referenceStages.script;
    const bs = r.bootlabStages.script;
    console.log(
      `${r.path.padEnd(26)}${sec(rs).padStart(11)}${sec(bs).padStart(10)}${ratio(bs, rs).padStart(7)} |` +
        `${sec(r.referenceMs).padStart(12)}${sec(r.bootlabMs).padStart(10)}${ratio(r.bootlabMs, r.referenceMs).padStart(7)}`,
    );
  }
  writeFileSync(
    outFile,
    JSON.stringify(
      {
        area: 'boot',
        date: new Date().toISOString(),
        setup: {
          accel: 'tcg',
          rounds,
          kernel: `${payload.kernelPackage} ${payload.kernelVersion}`,
          reference:
            'dnsmasq (DHCP+TFTP) + nginx (HTTP), iPXE script over HTTP; snponly.efi for OVMF like Bootlab',
          routerAdvertisements: 'dnsmasq --enable-ra in a side namespace (both stacks)',
          arm64: arm64Missing
            ? `skipped: ${arm64Missing}`
            : `${arm64!.payload.kernelPackage}, iPXE ${ARM64_BUILD.target}`,
        },
        rows,
        failures,
        samples: results,
      },
      null,
      2,
    ),
  );
  if (failures.length > 0)
    console.log(`${failures.length} boot(s) failed: ${failures.map((f) => f.path).join(', ')}`);
  console.log(`results: ${outFile}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
