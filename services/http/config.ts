import { z } from 'zod';

export const httpConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** 80 where allowed; Bootlab falls back to 8080 when it has no right to bind 80 (and says so). */
  port: z.number().int().min(0).max(65535).default(80),
  fallbackPort: z.number().int().min(0).max(65535).default(8080),
  directoryListing: z.boolean().default(false),
});

export type HttpConfig = z.infer<typeof httpConfigSchema>;
