import { useEffect, useState } from 'react';

/**
 * Hash routing ("#/settings"): works from a file, from any port and inside Electron without server
 * rewrites. Anything that is not "#/<name>" (e.g. the "#token=..." the CLI printed) counts as no route.
 */
export function routeFromHash(hash: string): string {
  const match = /^#\/([\w-]+)/.exec(hash);
  return match?.[1] ?? '';
}

export function useHashRoute(fallback: string): [string, (route: string) => void] {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash) || fallback);
  useEffect(() => {
    const onChange = () => setRoute(routeFromHash(window.location.hash) || fallback);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [fallback]);
  const navigate = (next: string) => {
    window.location.hash = `#/${next}`;
  };
  return [route, navigate];
}
