import { z } from 'zod';

/**
 * The boot library's settings (profile.library). Node-free. The folder is relative to the boot root so
 * the ISOs in it are served over HTTP as they are (sanboot, casper's url=, dracut's root=live:).
 */
export const bootMethodSchema = z.enum(['extracted', 'wimboot', 'sanboot', 'memdisk']);

export const libraryConfigSchema = z.object({
  /** ISO folder inside the boot root. */
  folder: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(
      (s) => !s.split(/[\\/]/).includes('..') && !/^([\\/]|[a-zA-Z]:)/.test(s),
      'a folder inside the boot root',
    )
    .default('isos'),
  /** Where a newer catalog is fetched from; empty turns catalog updates off. */
  catalogUrl: z
    .string()
    .trim()
    .max(2000)
    .refine(
      (s) => s === '' || /^https?:\/\/\S+$/.test(s),
      'an http:// or https:// address, or empty to turn updates off',
    )
    .default(''),
  /** Downloads running at once. */
  parallel: z.number().int().min(1).max(8).default(2),
  /** Boot method chosen by the technician, by ISO file (relative to the folder). */
  overrides: z.record(z.string().max(500), bootMethodSchema).default({}),
  /** Extra kernel arguments by ISO file (e.g. console=ttyS0,115200n8), added to extracted boots. */
  args: z.record(z.string().max(500), z.string().max(1000)).default({}),
});
export type LibraryConfig = z.infer<typeof libraryConfigSchema>;
