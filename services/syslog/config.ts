import { z } from 'zod';

export const syslogConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** iPXE sends to UDP 514 (SYSLOG_PORT, include/ipxe/syslog.h). TCP listens on the same number. */
  port: z.number().int().min(0).max(65535).default(514),
  /** TCP syslog (RFC 6587: octet counting or newline framing) on `port`. */
  tcp: z.boolean().default(true),
  /**
   * TLS syslog (RFC 5425; iPXE's `syslogs`, whose default port is also 514, src/net/tcp/syslogs.c): TLS
   * connections are told apart from plain TCP by their first byte (a TLS handshake record, 0x16). With no
   * certificate given, Bootlab makes a self-signed one in its data dir (iPXE needs it through TRUST=).
   */
  tls: z
    .object({
      enabled: z.boolean().default(false),
      certPath: z.string().min(1).nullable().default(null),
      keyPath: z.string().min(1).nullable().default(null),
    })
    .default({}),
  /** Longest message accepted, bytes (RFC 5425 4.3.1 asks receivers for at least 2048). */
  maxMessageBytes: z.number().int().min(480).max(65536).default(8192),
  /** Senders tracked for line reassembly; the longest idle is forgotten first. */
  maxSenders: z.number().int().min(16).max(100000).default(4096),
  /** Idle TCP/TLS connections are closed after this many seconds. */
  idleSeconds: z.number().int().min(5).max(86400).default(300),
  /** At most this many TCP/TLS connections at once. */
  maxConnections: z.number().int().min(1).max(10000).default(512),
});

export type SyslogConfig = z.infer<typeof syslogConfigSchema>;
