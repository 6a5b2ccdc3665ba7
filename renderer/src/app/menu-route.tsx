import { lazy, Suspense, type ComponentType } from 'react';
import { useApi } from '../api/api-context';
import { MenuFallbackPage } from './menu-fallback-page';

/**
 * The Menu page belongs to the menu editor (renderer/src/features/menu/menu-page.tsx, export `MenuPage`).
 * import.meta.glob resolves at build time, so the shell builds whether or not that file exists yet; when it
 * is missing, a simple read-only page stands in.
 */
type MenuPageProps = { api: ReturnType<typeof useApi>['api'] };
const modules = import.meta.glob<{ MenuPage: ComponentType<MenuPageProps> }>(
  '../features/menu/menu-page.tsx',
);
const loadMenu = modules['../features/menu/menu-page.tsx'];
const LazyMenuPage = loadMenu ? lazy(async () => ({ default: (await loadMenu()).MenuPage })) : null;

export function MenuRoute() {
  const { api } = useApi();
  if (!LazyMenuPage) return <MenuFallbackPage />;
  return (
    <Suspense fallback={<div className="page-loading">Opening the menu editor…</div>}>
      <LazyMenuPage api={api} />
    </Suspense>
  );
}
