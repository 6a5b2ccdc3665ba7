/**
 * What the PeerDist roles share: Content Information per file (computed once, cached), the segments the
 * hosted cache can be asked for (by segment ID), which of their blocks the cache holds, and the per-client
 * counts that become the "% from peers" figures (reported through `report`, typed PeerdistEvent).
 *
 * Fill modes: "preload" = the cache holds every block of any file whose Content Information was served
 * (it reads them from the boot root); "on-demand" = it holds a block once some client fetched it from the
 * origin (a MissingDataRequest range), like a BranchCache hosted cache filled by its clients, so the first
 * machine gets everything from the origin (0 %) and the next ones from the cache.
 */
import { randomBytes } from 'node:crypto';
import type { PeerdistEvent } from '../shared/events.js';
import { ContentInformationCache, type ContentInformation, type SegmentInfo } from './content-information.js';

export type CacheFill = 'preload' | 'on-demand';

export interface HeldSegment {
  info: ContentInformation;
  segment: SegmentInfo;
  /** URL path the file was requested by (for per-download figures). */
  urlPath: string;
  held: Set<number> | 'all';
}

export class PeerdistRegistry {
  readonly contentInfo: ContentInformationCache;
  private readonly segments = new Map<string, HeldSegment>();
  private readonly urlPaths = new Map<string, string>();
  counters = { contentInfo: 0, cacheHits: 0, cacheMisses: 0, originRanges: 0 };

  constructor(
    private fill: CacheFill,
    private readonly report: (e: PeerdistEvent) => void,
    secret: Buffer = randomBytes(32),
    maxFiles = 256,
  ) {
    this.contentInfo = new ContentInformationCache(secret, maxFiles, undefined, (info) => {
      for (const s of info.segments) this.segments.delete(s.id.toString('hex'));
    });
  }

  setFill(fill: CacheFill): void {
    this.fill = fill;
  }

  /** The origin is about to send Content Information for `filePath` (requested as `urlPath`). */
  async contentInformationFor(
    filePath: string,
    urlPath: string,
    client: string,
  ): Promise<ContentInformation> {
    const info = await this.contentInfo.get(filePath);
    this.urlPaths.set(filePath, urlPath);
    for (const segment of info.segments) {
      const id = segment.id.toString('hex');
      if (!this.segments.has(id))
        this.segments.set(id, { info, segment, urlPath, held: this.fill === 'preload' ? 'all' : new Set() });
    }
    this.counters.contentInfo++;
    this.report({ client, path: urlPath, kind: 'info', blocks: info.blocks });
    return info;
  }

  /** A Range request with MissingDataRequest=true reached the origin: count it, and (on-demand) hold the block. */
  originRange(filePath: string, urlPath: string, client: string, start: number): void {
    this.counters.originRanges++;
    this.report({ client, path: urlPath, kind: 'origin-range' });
    if (this.fill !== 'on-demand') return;
    for (const held of this.segments.values()) {
      if (held.info.path !== filePath || held.held === 'all') continue;
      const s = held.segment;
      if (start >= s.offset && start < s.offset + s.length)
        held.held.add(Math.floor((start - s.offset) / s.blockSize));
    }
  }

  /** The hosted cache looks a block up; undefined when it does not hold it (answer with data length 0). */
  lookup(segmentId: Buffer, block: number): HeldSegment | undefined {
    const held = this.segments.get(segmentId.toString('hex'));
    if (!held || block >= held.segment.blockHashes.length) return undefined;
    if (held.held !== 'all' && !held.held.has(block)) return undefined;
    return held;
  }

  segmentKnown(segmentId: Buffer): HeldSegment | undefined {
    return this.segments.get(segmentId.toString('hex'));
  }

  served(client: string, urlPath: string, hit: boolean): void {
    if (hit) this.counters.cacheHits++;
    else this.counters.cacheMisses++;
    this.report({ client, path: urlPath, kind: hit ? 'cache-hit' : 'cache-miss' });
  }

  /** Forgets what the cache holds (on-demand mode starts empty again). */
  clear(): void {
    for (const h of this.segments.values()) if (h.held !== 'all') h.held.clear();
  }
}
