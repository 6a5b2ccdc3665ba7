import { useEffect } from 'react';
import { useCollect } from '../api/event-store';
import { ConnectionIndicator } from '../components/connection-indicator';
import { COLLECTORS } from './collectors';
import { ROUTES } from './routes';
import { installUnloadGuard } from './unsaved-guard';
import { useHashRoute } from './use-hash-route';

/** The frame: a dark sidebar with the pages and the live-connection light, the current page on the right. */
export function App() {
  const [route, navigate] = useHashRoute('dashboard');
  useCollect(COLLECTORS);
  const current = ROUTES.find((r) => r.id === route) ?? ROUTES[0]!;

  useEffect(() => {
    document.title = `${current.label} · Bootlab`;
  }, [current]);
  useEffect(installUnloadGuard, []);

  const Current = current.page;
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">
          <BrandMark />
          <span>Bootlab</span>
        </div>
        <ul className="nav-list">
          {ROUTES.map((r) => (
            <li key={r.id}>
              <a
                href={`#/${r.id}`}
                className={r.id === current.id ? 'nav-link active' : 'nav-link'}
                aria-current={r.id === current.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(r.id);
                }}
              >
                <span className="nav-icon" aria-hidden="true">
                  {r.icon}
                </span>
                {r.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          <ConnectionIndicator />
        </div>
      </nav>
      <main className="content">
        <Current key={current.id} />
      </main>
    </div>
  );
}

/** A small monitor-with-network-arrow mark, drawn inline (no font glyph to go missing). */
function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#1f6feb" />
      <rect x="7" y="7" width="18" height="12" rx="2" fill="none" stroke="#fff" strokeWidth="2" />
      <path d="M16 19v4M11 25h10" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
      <path
        d="M16 10v5M13.5 12.5 16 15l2.5-2.5"
        fill="none"
        stroke="#fff"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
