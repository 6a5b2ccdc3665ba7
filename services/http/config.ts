import { z } from 'zod';

const ipxeSafe = /^[^\s$|&;#]+$/;
const unsafeMessage = 'must not contain spaces or any of $ | & ; # (iPXE scripts cannot quote them)';

/** One protected area: every path under `pathPrefix` needs these credentials (HTTP Basic and/or Digest). */
export const httpAuthRuleSchema = z.object({
  /** URL path prefix, e.g. "/private/" or "/images/windows/". Matched on the decoded path. */
  pathPrefix: z.string().min(1).startsWith('/'),
  // iPXE scripts have no quoting (src/core/exec.c): these go into `set username …` lines, so no whitespace,
  // no "$" (setting expansion), no "|", "&", ";" (separators) and no "#" (comment).
  username: z.string().min(1).max(64).regex(ipxeSafe, unsafeMessage),
  password: z.string().min(1).max(128).regex(ipxeSafe, unsafeMessage),
  /**
   * Which challenges to send. iPXE uses the FIRST scheme it supports (src/net/tcp/httpauth.c), so "both"
   * sends Digest first, then Basic for clients without Digest.
   */
  scheme: z.enum(['digest', 'basic', 'both']).default('both'),
  realm: z.string().min(1).default('Bootlab'),
});

export const httpConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** 80 where allowed; Bootlab falls back to 8080 when it has no right to bind 80 (and says so). */
  port: z.number().int().min(0).max(65535).default(80),
  fallbackPort: z.number().int().min(0).max(65535).default(8080),
  directoryListing: z.boolean().default(false),
  /** Protected paths (optional). Empty: everything is served without credentials. */
  auth: z.array(httpAuthRuleSchema).default([]),
  /** At most this many progress events a second for one download (the issue asks for "a few"). */
  progressPerSecond: z.number().min(0.1).max(20).default(4),
  /** How long an idle keep-alive connection stays open (iPXE re-uses connections between downloads). */
  keepAliveSeconds: z.number().int().min(1).max(600).default(30),
});

export type HttpConfig = z.infer<typeof httpConfigSchema>;
export type HttpAuthRule = z.infer<typeof httpAuthRuleSchema>;
