import type { ClientRequest } from './options.js';
import { archInfo, CLIENT_ARCHES, type Platform } from '../shared/firmware.js';

/**
 * Boot policy: which file or URL one client gets. Pure (the caller passes the clock and the per-MAC
 * chain state), so every firmware case is a unit test.
 *
 * Loop breaking (docs/ipxe-notes.md §7): firmware PXE gets an iPXE binary; iPXE itself (option 77 "iPXE" or
 * option 175 present) gets the HTTP boot script, so iPXE never loads iPXE again. A per-host override
 * that names an iPXE binary is handed out once per boot: the next iPXE request gets the script.
 */

/** Option 93 code → words; the one table is services/shared/firmware.ts (RFC 4578 §2.1, RFC 5970). */
export const ARCH_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(CLIENT_ARCHES).map(([code, info]) => [code, info.name]),
);

export type { Platform };

/** Firmware platform for an option 93 code, and whether it is a UEFI HTTP-boot code. */
export function platformOf(arch: number | undefined): { platform: Platform; http: boolean } | undefined {
  const info = archInfo(arch);
  return info && { platform: info.platform, http: info.http };
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

/**
 * The signed first stage for Secure Boot machines (signed-chain.ts serves it): Microsoft-signed shim, which
 * loads grubx64.efi (Debian's signed grubnetx64) from the same directory, which reads grub/grub.cfg.
 */
export const SIGNED_FIRST_STAGE = 'shimx64.efi';

/** Which UEFI x64 machines get the signed chain instead of iPXE (config dhcp.secureBoot). */
export interface SecureBootChoice {
  allMachines: boolean;
  /** MAC (lower case) → the chain this machine gets, whatever allMachines says. */
  hosts: Map<string, 'signed' | 'ipxe'>;
}

/** True when this MAC gets shim -> GRUB (only UEFI x64: Debian's signed shim and GRUB are x64 builds). */
export function wantsSignedChain(choice: SecureBootChoice | undefined, mac: string): boolean {
  if (!choice) return false;
  return (choice.hosts.get(mac) ?? (choice.allMachines ? 'signed' : 'ipxe')) === 'signed';
}

export interface BootPolicyInput {
  /** TFTP/next-server address (siaddr, option 66). */
  serverAddress: string;
  /** e.g. http://10.77.0.1:8080, or null while HTTP is not running. */
  httpBase: string | null;
  scriptPath: string;
  firstStage: FirstStageNames;
  /** MAC (lower case) → file name or URL. */
  overrides: Map<string, string>;
  /** Secure Boot machines: they get SIGNED_FIRST_STAGE instead of iPXE. */
  secureBoot?: SecureBootChoice;
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
export type BootKind = 'first-stage' | 'script' | 'override' | 'http-url' | 'signed-chain' | 'missing';

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
  // Secure Boot machines: shim instead of iPXE (a signed iPXE does not exist; the firmware would refuse it).
  const signed = plat.platform === 'efi-x64' && wantsSignedChain(input.secureBoot, client.mac);
  if (signed && (!httpClient || input.httpBase)) {
    return {
      kind: 'signed-chain',
      file: httpClient ? `${input.httpBase}/${SIGNED_FIRST_STAGE}` : SIGNED_FIRST_STAGE,
      platform: plat.platform,
      reason: 'Secure Boot machine: signed shim -> GRUB (set on the DHCP page, "Secure Boot machines")',
      httpClient,
    };
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
