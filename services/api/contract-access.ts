/**
 * The UI's own address (Settings → "This page's address"): where it listens, whether that is the fixed
 * default port, and rotating the token. Types only: the renderer imports this with `import type`.
 */

export interface UiAccessView {
  /** The full address with the token (what Bootlab prints at start). */
  url: string;
  port: number;
  /** The fixed default port Bootlab tries first. */
  defaultPort: number;
  /** Why this launch is not on the default port (it was taken), or undefined. */
  fallbackReason?: string;
  /** Where the token is kept (owner-only file in the data folder); null when it is not stored. */
  tokenFile: string | null;
}

export interface AccessRoutes {
  'GET /api/access': { body: undefined; response: UiAccessView };
  /** A new token replaces the stored one; the answer carries the new address (the old one stops working). */
  'POST /api/access/rotate-token': { body: undefined; response: UiAccessView };
}
