import { useEffect, useRef, useState } from 'react';
import { confirmLeave } from './unsaved-guard';

/**
 * Hash routing ("#/settings"): works from a file, from any port and inside Electron without server
 * rewrites. Anything that is not "#/<name>" (e.g. the "#token=..." the CLI printed) counts as no route.
 */
export function routeFromHash(hash: string): string {
  const match = /^#\/([\w-]+)/.exec(hash);
  return match?.[1] ?? '';
}

/**
 * The current route; leaving a page with unsaved changes asks first (sidebar, links and Back alike).
 * When the person stays, the address goes back to the page they are on.
 */
export function useHashRoute(fallback: string): [string, (route: string) => void] {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash) || fallback);
  const current = useRef(route);
  current.current = route;
  useEffect(() => {
    const onChange = () => {
      const next = routeFromHash(window.location.hash) || fallback;
      if (next === current.current) return;
      if (!confirmLeave()) {
        // replaceState fires no hashchange: the address shows the page again without a loop.
        window.history.replaceState(null, '', `#/${current.current}`);
        return;
      }
      setRoute(next);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [fallback]);
  const navigate = (next: string) => {
    if (next === current.current) return;
    if (!confirmLeave()) return;
    window.history.pushState(null, '', `#/${next}`);
    setRoute(next);
  };
  return [route, navigate];
}
