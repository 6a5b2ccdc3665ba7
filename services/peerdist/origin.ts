/**
 * The origin side of PeerDist, hooked into the HTTP boot server (services/http/server.ts calls
 * runtime.peerdistOrigin before serving a file). iPXE built with HTTP_ENC_PEERDIST asks with
 * `Accept-Encoding: peerdist` and `X-P2P-PeerDist: Version=1.1` (src/net/peerdist.c); we answer 200 with
 * `Content-Encoding: peerdist` and the Content Information as body. Blocks no peer had come back as
 * single Range requests carrying `X-P2P-PeerDist: Version=1.1, MissingDataRequest=true`: those are
 * counted here and then served by the normal file path (206).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveInBootRoot } from '../core/boot-root.js';
import type { PeerdistRegistry } from './registry.js';

export type PeerdistOriginHook = (
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  client: string,
) => Promise<boolean>;

export function createPeerdistOrigin(registry: PeerdistRegistry, bootRoot: string): PeerdistOriginHook {
  return async (req, res, urlPath, client) => {
    const p2p = req.headers['x-p2p-peerdist'];
    if (typeof p2p !== 'string' || req.method !== 'GET') return false;
    const found = await resolveInBootRoot(bootRoot, urlPath.replace(/^\/+/, ''));
    if (!found.ok) return false; // the file path answers 403/404 in its usual words
    const range = req.headers.range;
    if (/MissingDataRequest\s*=\s*true/i.test(p2p)) {
      const start = range ? /^bytes=(\d+)-/.exec(range)?.[1] : undefined;
      if (start !== undefined) registry.originRange(found.path, urlPath, client, Number(start));
      return false;
    }
    if (range || !/\bpeerdist\b/i.test(String(req.headers['accept-encoding'] ?? ''))) return false;
    const info = await registry.contentInformationFor(found.path, urlPath, client);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Encoding': 'peerdist',
      'Content-Length': info.blob.length,
      'X-P2P-PeerDist': 'Version=1.1',
      'Cache-Control': 'no-store',
    });
    res.end(info.blob);
    return true;
  };
}
