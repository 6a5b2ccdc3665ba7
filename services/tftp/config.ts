import { z } from 'zod';

export const tftpConfigSchema = z.object({
  enabled: z.boolean().default(true),
  port: z.number().int().min(1).max(65535).default(69),
  /** Upper bound for negotiated blksize (RFC 2348); also capped by the interface MTU. */
  maxBlockSize: z.number().int().min(512).max(65464).default(1468),
  /** Upper bound for negotiated windowsize (RFC 7440). */
  maxWindowSize: z.number().int().min(1).max(65535).default(16),
  maxTransfers: z.number().int().min(1).default(200),
  timeoutMs: z.number().int().min(100).default(1000),
  retries: z.number().int().min(1).default(6),
  /** windowsize × blksize is capped to this many bytes in flight (a larger burst overflows client buffers). */
  maxBytesInFlight: z
    .number()
    .int()
    .min(512)
    .max(16 * 1024 * 1024)
    .default(65536),
  /** Windows-style clients ask with mixed case: fall back to a case-insensitive match inside the boot root. */
  caseInsensitive: z.boolean().default(true),
});

export type TftpConfig = z.infer<typeof tftpConfigSchema>;
