import { z } from 'zod';
import { dhcpConfigSchema } from './dhcp/config.js';
import { tftpConfigSchema } from './tftp/config.js';
import { httpConfigSchema } from './http/config.js';
import { syslogConfigSchema } from './syslog/config.js';
import { peerdistConfigSchema } from './peerdist/config.js';
import { defaultMenuConfig, menuConfigSchema } from './menu/model.js';
import { libraryConfigSchema } from './library/config.js';
import { desktopConfigSchema } from './desktop/config.js';

/**
 * A profile is everything one bench setup needs (interface, services, boot root, menu). Each protocol owns
 * its section's schema in its own folder; this file, beside host.ts, only assembles them and hands them to
 * the config store (core/ imports no protocol: docs/architecture.md). Unknown keys are kept out (strip) so
 * an old file with removed settings still loads.
 */
export const profileSchema = z.object({
  /** Interface the boot services listen on, by name (e.g. "eth0"); null until the user picks one. */
  interface: z.string().min(1).nullable().default(null),
  /** Folder served by TFTP and HTTP; null means "<data dir>/boot". */
  bootRoot: z.string().min(1).nullable().default(null),
  dhcp: dhcpConfigSchema.default({}),
  tftp: tftpConfigSchema.default({}),
  http: httpConfigSchema.default({}),
  syslog: syslogConfigSchema.default({}),
  /** PeerDist origin and hosted cache (services/peerdist). */
  peerdist: peerdistConfigSchema.default({}),
  /** The boot menu (schema in services/menu/model.ts); a fresh profile gets local disk, shell, reboot. */
  menu: menuConfigSchema.default(defaultMenuConfig),
  /** The boot library: ISO folder, catalog address, downloads (services/library/config.ts). */
  library: libraryConfigSchema.default({}),
  /** Desktop app only: system notifications on or off (services/desktop/config.ts). */
  desktop: desktopConfigSchema.default({}),
});

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

export const configFileSchema = z.object({
  version: z.literal(1).default(1),
  activeProfile: z.string().min(1).default('default'),
  profiles: z.record(z.string().min(1), profileSchema).default({ default: profileSchema.parse({}) }),
});

export type ConfigFile = z.infer<typeof configFileSchema>;

/** The schemas the config store validates with (it knows no protocol section itself). */
export interface ProfileSchemas {
  profile: typeof profileSchema;
  file: typeof configFileSchema;
}

export const profileSchemas: ProfileSchemas = { profile: profileSchema, file: configFileSchema };
