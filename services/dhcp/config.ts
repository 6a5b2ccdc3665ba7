import { z } from 'zod';
import { macSchema as mac } from '../shared/address.js';

const ipv4 = z.string().ip({ version: 'v4' });

/** DHCP section of a profile. `auto` probes the wire and picks proxy or full (never full beside another server). */
export const dhcpConfigSchema = z.object({
  mode: z.enum(['auto', 'off', 'proxy', 'full']).default('auto'),
  /** Full mode only with another DHCP server present: the user forced it and confirmed. */
  forceFull: z.boolean().default(false),
  port: z.number().int().min(1).max(65535).default(67),
  /** PXE boot-server port (PXE spec 2.1): UEFI firmware asks here after a proxy offer. */
  proxyPort: z.number().int().min(1).max(65535).default(4011),
  /** The client port replies go to (68 on real networks; tests may move it). */
  clientPort: z.number().int().min(1).max(65535).default(68),
  pool: z.object({ start: ipv4, end: ipv4 }).nullable().default(null),
  leaseSeconds: z.number().int().min(60).default(3600),
  router: ipv4.nullable().default(null),
  dns: z.array(ipv4).default([]),
  /** Option 15 (RFC 2132 §3.17): the DNS domain clients append to short names, e.g. "bench.lan". */
  domain: z
    .string()
    .max(253)
    .regex(
      /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i,
      'a domain name like bench.lan',
    )
    .nullable()
    .default(null),
  reservations: z
    .array(
      z.object({
        mac,
        ip: ipv4,
        // Sent as option 12 (RFC 2132 §3.14); one DNS label is at most 63 characters (RFC 1035 §2.3.4).
        hostname: z.string().max(63, 'at most 63 characters (one DNS name part)').optional(),
      }),
    )
    .default([]),
  /** Per-host first-stage file (e.g. undionly.kkpxe for a machine whose BIOS cannot exit cleanly). */
  overrides: z.array(z.object({ mac, bootFile: z.string().min(1) })).default([]),
  /**
   * How long auto mode (and full mode's safety check) listens for another DHCP server. dnsmasq pings a new
   * client's candidate address before its first OFFER (about 3 s, seen in the lab), so a 3 s probe could
   * miss it and come up in full mode beside it; 6 s covers that with a retransmitted DISCOVER to spare.
   */
  probeSeconds: z.number().min(0).max(30).default(6),
  /** First-stage iPXE file per firmware (looked up in the boot root, then /usr/lib/ipxe). */
  firstStage: z
    .object({
      bios: z.string().min(1).default('undionly.kpxe'),
      efiX64: z.string().min(1).default('snponly.efi'),
      efiIa32: z.string().min(1).default('ipxe-i386.efi'),
      efiArm32: z.string().min(1).default('ipxe-arm32.efi'),
      efiArm64: z.string().min(1).default('ipxe-arm64.efi'),
    })
    .default({}),
  /**
   * Secure Boot machines (issue 16). Secure Boot firmware refuses unsigned iPXE, and nothing on the wire
   * says Secure Boot is on (option 93 is the same), so it is chosen here: `allMachines` = every UEFI x64
   * machine on this network gets the signed chain (Microsoft-signed shim -> distribution-signed GRUB ->
   * signed kernel, GRUB config generated from the menu); `hosts` overrides it per MAC (signed or ipxe).
   */
  secureBoot: z
    .object({
      allMachines: z.boolean().default(false),
      hosts: z.array(z.object({ mac, chain: z.enum(['signed', 'ipxe']) })).default([]),
    })
    .default({}),
  /** Check a new address is unused before offering it: ping (ARP cache, then one ICMP echo), arp (cache only), off. */
  addressCheck: z.enum(['ping', 'arp', 'off']).default('ping'),
  /** Requests accepted per MAC in 10 s (a PXE boot sends about 8). */
  rateLimitPerMac: z.number().int().min(1).default(40),
  /** pxelinux menu in use: send options 209 (config file) and 210 (path prefix) (RFC 5071). */
  pxelinux: z
    .object({ configFile: z.string().min(1), pathPrefix: z.string().min(1) })
    .nullable()
    .default(null),
});

export type DhcpConfig = z.infer<typeof dhcpConfigSchema>;
