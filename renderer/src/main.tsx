import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { takeSessionToken } from './api/session-token';
import { App } from './app/app';
import { NoTokenPage } from './app/no-token-page';
import './styles.css';

const token = takeSessionToken();
// The token is kept in sessionStorage; drop it from the address bar (screenshots, history).
if (/token=/.test(window.location.hash)) {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/dashboard`);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {token ? (
      <ApiProvider token={token}>
        <App />
      </ApiProvider>
    ) : (
      <NoTokenPage />
    )}
  </StrictMode>,
);
