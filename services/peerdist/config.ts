import { z } from 'zod';

/** PeerDist (BranchCache) in Bootlab's HTTP boot server: origin Content Information and a hosted cache. */
export const peerdistConfigSchema = z.object({
  /** Answer `Accept-Encoding: peerdist` with Content Information, and run the hosted cache. */
  enabled: z.boolean().default(true),
  /** The hosted cache's own HTTP port (iPXE reaches it as `peerhost` = <address>:<port>). */
  cachePort: z.number().int().min(0).max(65535).default(8091),
  /** Put `set peerhost <address>:<port>` in the generated boot script, so iPXE asks the hosted cache. */
  setPeerhost: z.boolean().default(true),
  /** preload: the cache holds every block; on-demand: a block once a client fetched it from the origin. */
  fill: z.enum(['preload', 'on-demand']).default('on-demand'),
});

export type PeerdistConfig = z.infer<typeof peerdistConfigSchema>;
