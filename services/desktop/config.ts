import { z } from 'zod';

/**
 * Settings only the desktop app acts on, kept in the profile like every other setting so the browser UI
 * and the app show and change the same thing (the app's main process reads them with GET /api/config).
 */
export const desktopConfigSchema = z.object({
  /** System notifications: a machine booted or failed, a build finished, a download verified. */
  notifications: z.boolean().default(true),
});

export type DesktopConfig = z.infer<typeof desktopConfigSchema>;
