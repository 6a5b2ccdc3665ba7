import { z } from 'zod';

export const syslogConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** iPXE sends to UDP 514 (SYSLOG_PORT, include/ipxe/syslog.h). */
  port: z.number().int().min(1).max(65535).default(514),
});

export type SyslogConfig = z.infer<typeof syslogConfigSchema>;
