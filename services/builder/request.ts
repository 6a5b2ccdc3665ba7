/**
 * A build request, validated with zod before anything runs (Node-free: the Builder page and the contract
 * import it). Every value that reaches make's command line is checked against a narrow pattern: make
 * expands `$(...)` in command-line variables, so a free-text value would run commands even though Bootlab
 * never uses a shell (docs/ipxe-notes.md §4 lists the variables).
 */
import { z } from 'zod';
import { FEATURE_IDS, LOG_LEVELS, NAMED_CONFIGS, TARGET_IDS, targetInfo } from './catalogue.js';

/** DEBUG=obj[:level[:default]],… (Makefile.housekeeping L1159-1168); object names are file stems. */
export const DEBUG_PATTERN = /^[a-z0-9_]{1,40}(:[0-9](:[0-9])?)?(,[a-z0-9_]{1,40}(:[0-9](:[0-9])?)?){0,15}$/;
/** A cross-compiler prefix such as aarch64-linux-gnu- (CROSS=). */
export const CROSS_PATTERN = /^[A-Za-z0-9_.+-]{1,60}-$/;

const PEM = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;
const pemCertificate = z
  .string()
  .max(16_384, 'a certificate is at most 16 KiB of PEM text')
  .refine((s) => PEM.test(s.trim() + '\n'), {
    message: 'must be one PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
  });

export const scriptChoiceSchema = z.discriminatedUnion('kind', [
  /** Bootlab's own: DHCP with retries, then Bootlab's boot script (embed-script.ts). */
  z.object({ kind: z.literal('generated') }),
  /** The user's text, checked by validateScript() before the build. */
  z.object({ kind: z.literal('custom'), text: z.string().max(65_536, 'a script is at most 64 KiB') }),
  /** No embedded script: iPXE does plain autoboot (DHCP filename). */
  z.object({ kind: z.literal('none') }),
]);
export type ScriptChoice = z.infer<typeof scriptChoiceSchema>;

export const buildRequestSchema = z
  .object({
    /** A source from the Sources list (SourceView.id). */
    sourceId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a source id from the Sources list'),
    targets: z
      .array(
        z.enum(TARGET_IDS, {
          errorMap: () => ({ message: `must be one of the catalogue's targets (${TARGET_IDS.join(', ')})` }),
        }),
      )
      .min(1, 'choose at least one target')
      .max(12),
    features: z
      .array(
        z.enum(FEATURE_IDS, {
          errorMap: () => ({ message: `must be one of ${FEATURE_IDS.join(', ')}` }),
        }),
      )
      .max(FEATURE_IDS.length)
      .default([]),
    /** Tenths of a second iPXE waits for Ctrl-B (BANNER_TIMEOUT; iPXE's default 20). 0 drops the wait. */
    bannerTimeout: z.number().int().min(0).max(600).optional(),
    /** LOG_LEVEL for the syslog console (iPXE's default: none, i.e. only console output). */
    logLevel: z.enum(LOG_LEVELS).optional(),
    /** A named config bundled with iPXE (CONFIG=qemu: EFI_DOWNGRADE_UX for NIC-ROM style .efidrv builds). */
    namedConfig: z.enum(NAMED_CONFIGS).optional(),
    script: scriptChoiceSchema.default({ kind: 'generated' }),
    debug: z
      .string()
      .regex(
        DEBUG_PATTERN,
        'must look like peermux:2 or peermux:2,httpcore (object[:level], comma-separated)',
      )
      .optional(),
    /** TRUST=: root certificates that replace iPXE's default CA for HTTPS. */
    trust: z.array(pemCertificate).max(8).optional(),
    /** CERT=: client certificate (and chain) embedded in the image. */
    cert: z.array(pemCertificate).max(8).optional(),
    /** Cross-compiler prefix; by default chosen from the target (aarch64-linux-gnu- for ARM64 on x86). */
    cross: z.string().regex(CROSS_PATTERN, 'a compiler prefix such as aarch64-linux-gnu-').optional(),
  })
  .superRefine((r, ctx) => {
    const archs = new Set(r.targets.map((id) => targetInfo(id)?.arch));
    if (r.cross && archs.size > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['cross'],
        message: 'a cross-compiler prefix applies to one architecture: build the other targets separately',
      });
  });

export type BuildRequestInput = z.input<typeof buildRequestSchema>;
export type BuildRequest = z.output<typeof buildRequestSchema>;

/** "Build Bootlab's iPXE": the recommended set (the ARM64 image joins when the cross compiler is there). */
export function recommendedRequest(sourceId: string, withArm64: boolean): BuildRequest {
  return buildRequestSchema.parse({
    sourceId,
    targets: [
      'bin/undionly.kpxe',
      'bin-x86_64-efi/ipxe.efi',
      'bin-x86_64-efi/snponly.efi',
      ...(withArm64 ? ['bin-arm64-efi/ipxe.efi'] : []),
    ],
    features: ['syslog', 'https', 'peerdist'],
    bannerTimeout: 0,
    script: { kind: 'generated' },
  });
}
