import type { ReactNode } from 'react';

/** The common page frame: a title, one line saying what the page is for, optional actions on the right. */
export function Page({
  title,
  intro,
  actions,
  children,
  stickyHeader = false,
}: {
  title: string;
  intro?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  /** Long editors: the header (with Save) stays at the top of the window while the page scrolls. */
  stickyHeader?: boolean;
}) {
  return (
    <section className="page">
      <header className={stickyHeader ? 'page-header page-header-sticky' : 'page-header'}>
        <div>
          <h1>{title}</h1>
          {intro && <p className="page-intro">{intro}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
