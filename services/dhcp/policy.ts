import type { ClientRequest } from './options.js';

/**
 * Boot policy: which file or URL one client gets. Pure (the caller passes the clock and the per-MAC
 * chain state), so every firmware case is a unit test.
 *
 * Loop breaking (ipxe-facts §7): firmware PXE gets an iPXE binary; iPXE itself (option 77 "iPXE" or
 * option 175 present) gets the HTTP boot script, so iPXE never loads iPXE again. A per-host override
 * that names an iPXE binary is handed out once per boot: the next iPXE request gets the script.
 */

/** RFC 4578 §2.1 + IANA "Processor Architecture Types". */
export const ARCH_NAMES: Record<number, string> = {
  0: 'BIOS (x86)',
  6: 'UEFI IA32',
  7: 'UEFI x64',
  9: 'UEFI x64',
  10: 'UEFI ARM32',
  11: 'UEFI ARM64',
  15: 'UEFI IA32 HTTP',
  16: 'UEFI x64 HTTP',
  18: 'UEFI ARM32 HTTP',
  19: 'UEFI ARM64 HTTP',
};

export type Platform = 'bios' | 'efi-ia32' | 'efi-x64' | 'efi-arm32' | 'efi-arm64';

/** Firmware platform for an option 93 code, and whether it is a UEFI HTTP-boot code. */
export function platformOf(arch: number | undefined): { platform: Platform; http: boolean } | undefined {
  switch (arch) {
    case undefined:
    case 0:
      return { platform: 'bios', http: false };
    case 6:
      return { platform: 'efi-ia32', http: false };
    case 7:
    case 9: // RFC 4578 lists 9 as "EFI x86-64" too (errata 4624: 7 is BC, 9 x86-64; both mean x64 here)
      return { platform: 'efi-x64', http: false };
    case 10:
      return { platform: 'efi-arm32', http: false };
    case 11:
      return { platform: 'efi-arm64', http: false };
    case 15:
      return { platform: 'efi-ia32', http: true };
    case 16:
      return { platform: 'efi-x64', http: true };
    case 18:
      return { platform: 'efi-arm32', http: true };
    case 19:
      return { platform: 'efi-arm64', http: true };
    default:
      return undefined;
  }
}

/** The first-stage file name per platform (served by TFTP/HTTP, resolved by first-stage.ts). */
export interface FirstStageNames {
  bios: string;
  'efi-ia32': string;
  'efi-x64': string;
  'efi-arm32': string;
  'efi-arm64': string;
}

export const DEFAULT_FIRST_STAGE: FirstStageNames = {
  bios: 'undionly.kpxe',
  'efi-ia32': 'ipxe-i386.efi',
  'efi-x64': 'snponly.efi',
  'efi-arm32': 'ipxe-arm32.efi',
  'efi-arm64': 'ipxe-arm64.efi',
};

export interface BootPolicyInput {
  /** TFTP/next-server address (siaddr, option 66). */
  serverAddress: string;
  /** e.g. http://10.77.0.1:8080, or null while HTTP is not running. */
  httpBase: string | null;
  scriptPath: string;
  firstStage: FirstStageNames;
  /** MAC (lower case) → file name or URL. */
  overrides: Map<string, string>;
  /**
   * Whether a first-stage file can be served (first-stage.ts locate). Asked at every request, so a file
   * that appears later is used at once. When it says no, the decision is kind 'missing': never handed out.
   */
  firstStageExists?: (name: string) => boolean;
}

/** Per-MAC memory of an override handed out, so the next iPXE request of that boot gets the script. */
export interface ChainState {
  xid: number;
  at: number;
}

/** An override is "used once" for this long; a reboot after that gets it again. */
export const CHAIN_WINDOW_MS = 120_000;

/** 'missing': the client's first-stage file does not exist; the caller must not hand out `file`. */
export type BootKind = 'first-stage' | 'script' | 'override' | 'http-url' | 'missing';

export interface BootDecision {
  kind: BootKind;
  /** What goes in the file field / option 67: a TFTP path or a full URL. */
  file: string;
  platform: Platform;
  /** Why, in one phrase (for the log and the lease table). */
  reason: string;
  /** Set when an override was handed out: the caller stores it as the MAC's ChainState. */
  chain?: ChainState;
  /** UEFI HTTP boot: the reply must carry option 60 "HTTPClient" (UEFI spec 2.x, HTTP Boot §24.7). */
  httpClient: boolean;
}

const IPXE_BINARY =
  /(^|\/)(undionly\.k?kpxe|undionly\.kpxe|ipxe\.(pxe|efi|lkrn|kpxe|kkpxe)|snponly\.efi|ipxe[-.\w]*\.efi)$/i;

/** True when a file name is an iPXE binary (handing it to iPXE again would loop). */
export function isIpxeBinary(file: string): boolean {
  return IPXE_BINARY.test(file);
}

function scriptFor(client: ClientRequest, input: BootPolicyInput): { file: string; reason: string } {
  // iPXE without HTTP (175 lists features and 19 = HTTP is missing) fetches the script by TFTP.
  const hasHttp = client.ipxeFeatures.length === 0 || client.ipxeFeatures.includes(19);
  if (input.httpBase && hasHttp)
    return { file: `${input.httpBase}${input.scriptPath}`, reason: 'iPXE is running: boot script' };
  return { file: input.scriptPath.replace(/^\//, ''), reason: 'iPXE is running: boot script by TFTP' };
}

/** Chooses the boot file or URL for one request; undefined when the architecture is unknown. */
export function chooseBoot(
  client: ClientRequest,
  input: BootPolicyInput,
  chain: ChainState | undefined,
  now: number,
): BootDecision | undefined {
  const plat = platformOf(client.arch);
  if (!plat) return undefined;
  const httpClient = plat.http || client.isHttpClient;
  const override = input.overrides.get(client.mac);
  if (override) {
    const loops = isIpxeBinary(override);
    const sameBoot = chain && (chain.xid === client.xid || now - chain.at < CHAIN_WINDOW_MS);
    const handedThisBoot = chain && chain.xid === client.xid;
    if (!client.isIpxe || !loops || !sameBoot || handedThisBoot) {
      return {
        kind: 'override',
        file: override,
        platform: plat.platform,
        reason: `per-host override for ${client.mac}`,
        chain: { xid: client.xid, at: chain && handedThisBoot ? chain.at : now },
        httpClient,
      };
    }
    const s = scriptFor(client, input);
    return {
      kind: 'script',
      file: s.file,
      platform: plat.platform,
      reason: `${s.reason} (override already chained)`,
      httpClient,
    };
  }
  if (client.isIpxe) {
    const s = scriptFor(client, input);
    return { kind: 'script', file: s.file, platform: plat.platform, reason: s.reason, httpClient };
  }
  const name = input.firstStage[plat.platform];
  // A dead file name costs the client a TFTP error or an HTTP 404 and a stuck boot: say so instead.
  if (input.firstStageExists && !input.firstStageExists(name)) {
    return {
      kind: 'missing',
      file: name,
      platform: plat.platform,
      reason: `${ARCH_NAMES[client.arch ?? 0] ?? 'BIOS'} first stage ${name} does not exist`,
      httpClient,
    };
  }
  if (httpClient) {
    if (!input.httpBase) return undefined; // HTTP boot without an HTTP server: nothing useful to offer
    return {
      kind: 'http-url',
      file: `${input.httpBase}/${name}`,
      platform: plat.platform,
      reason: `UEFI HTTP boot (${ARCH_NAMES[client.arch ?? 0] ?? `arch ${client.arch}`})`,
      httpClient: true,
    };
  }
  return {
    kind: 'first-stage',
    file: name,
    platform: plat.platform,
    reason: `${ARCH_NAMES[client.arch ?? 0] ?? 'BIOS'} firmware: iPXE first stage`,
    httpClient: false,
  };
}
