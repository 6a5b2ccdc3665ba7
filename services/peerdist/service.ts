/**
 * Starts and stops PeerDist alongside the HTTP boot server: the registry, the origin hook it publishes on
 * the runtime (runtime.peerdistOrigin), and the hosted-cache listener on its own port (runtime.peerHost,
 * which the boot script turns into `set peerhost`). A hosted cache that cannot bind is reported and
 * skipped; the boot server itself keeps running.
 */
import type { Server } from 'node:http';
import type { ServiceContext } from '../core/service.js';
import { listenTcp } from '../net/sockets.js';
import { createHostedCacheServer, type HostedCacheCounters } from './hosted-cache.js';
import { createPeerdistOrigin } from './origin.js';
import { PeerdistRegistry } from './registry.js';

export interface RunningPeerdist {
  registry: PeerdistRegistry;
  counters: HostedCacheCounters;
  listening: string | null;
  stop(): Promise<void>;
}

export async function startPeerdist(ctx: ServiceContext): Promise<RunningPeerdist | null> {
  const cfg = ctx.profile.peerdist;
  if (!cfg?.enabled) return null;
  const registry = new PeerdistRegistry(cfg.fill, (e) => ctx.bus.emit('peerdist.block', e));
  ctx.runtime.peerdistOrigin = createPeerdistOrigin(registry, ctx.bootRoot);
  ctx.runtime.peerdistCounters = () => ({ ...registry.counters });
  const { server, counters } = createHostedCacheServer(registry);
  let listening: string | null = null;
  try {
    const port = await listenTcp(server, {
      service: 'PeerDist hosted cache',
      address: ctx.network.address,
      port: cfg.cachePort,
    });
    listening = `${ctx.network.address}:${port}`;
    if (cfg.setPeerhost) ctx.runtime.peerHost = listening;
  } catch (err) {
    ctx.log.warn(
      `PeerDist: the hosted cache could not listen on port ${cfg.cachePort} (${err instanceof Error ? err.message : String(err)}). ` +
        'Machines still get Content Information and fetch every block from this server. Pick another port in Settings.',
    );
  }
  const stop = async (): Promise<void> => {
    ctx.runtime.peerdistOrigin = null;
    ctx.runtime.peerdistCounters = null;
    ctx.runtime.peerHost = null;
    server.closeAllConnections();
    await closeServer(server);
  };
  return { registry, counters, listening, stop };
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
