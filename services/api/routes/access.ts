import type { UiAccessView } from '../contract-access.js';
import type { ApiRouter } from '../router.js';

export interface AccessDeps {
  view: () => UiAccessView;
  /** Makes, stores and starts using a new token; returns the new view. */
  rotate: () => UiAccessView;
}

/** The UI's address and token rotation (Settings page). */
export function registerAccessRoutes(router: ApiRouter, deps: AccessDeps): void {
  router.add('GET /api/access', () => deps.view());
  router.add('POST /api/access/rotate-token', () => deps.rotate());
}
