/**
 * Client firmware in words, one table for the DHCP server, the API and the UI (Node-free). Codes are DHCP
 * option 93, "Client System Architecture" (RFC 4578 §2.1 and the IANA "Processor Architecture Types"
 * registry; RFC 5970 adds the HTTP-boot codes 15-19). Code 9 is listed as "EFI x86-64" by RFC 4578 and 7 as
 * "EFI BC"; firmware uses both for x64 (RFC 4578 errata 4624), so both mean x64 here.
 */

export type Platform = 'bios' | 'efi-ia32' | 'efi-x64' | 'efi-arm32' | 'efi-arm64';

export interface ArchInfo {
  platform: Platform;
  /** A UEFI HTTP-boot client (it wants a URL, not a TFTP file name). */
  http: boolean;
  /** Short words for tables and reasons: "BIOS", "UEFI x64", "UEFI x64 HTTP". */
  name: string;
}

/** How each platform is named where a first-stage file is listed. */
export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  bios: 'BIOS (legacy PXE)',
  'efi-ia32': 'UEFI IA32',
  'efi-x64': 'UEFI x64',
  'efi-arm32': 'UEFI ARM32',
  'efi-arm64': 'UEFI ARM64',
};

const SHORT: Readonly<Record<Platform, string>> = { ...PLATFORM_LABELS, bios: 'BIOS' };

function arch(platform: Platform, http: boolean): ArchInfo {
  return { platform, http, name: http ? `${SHORT[platform]} HTTP` : SHORT[platform] };
}

/** Every option 93 code Bootlab serves. */
export const CLIENT_ARCHES: Readonly<Record<number, ArchInfo>> = {
  0: arch('bios', false),
  6: arch('efi-ia32', false),
  7: arch('efi-x64', false),
  9: arch('efi-x64', false),
  10: arch('efi-arm32', false),
  11: arch('efi-arm64', false),
  15: arch('efi-ia32', true),
  16: arch('efi-x64', true),
  18: arch('efi-arm32', true),
  19: arch('efi-arm64', true),
};

/** The firmware behind an option 93 code; no code at all means a BIOS PXE client (RFC 4578 §2.1). */
export function archInfo(code: number | undefined): ArchInfo | undefined {
  return CLIENT_ARCHES[code ?? 0];
}

/** "UEFI x64" for 7, "architecture 42" for a code not in the table, undefined for none. */
export function archName(code: number | undefined): string | undefined {
  if (code === undefined) return undefined;
  return CLIENT_ARCHES[code]?.name ?? `architecture ${code}`;
}
