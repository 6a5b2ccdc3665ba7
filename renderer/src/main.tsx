import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { ApiClient } from './api/client';
import { forgetToken, takeSessionToken } from './api/session-token';
import { App } from './app/app';
import { NoTokenPage } from './app/no-token-page';
import './styles.css';

const token = takeSessionToken();
// A refused token (made new in Settings, or an old bookmark): forget it and say where the right link is.
ApiClient.onUnauthorized = () => {
  forgetToken();
  root.render(<NoTokenPage refused />);
};
// The token is kept in sessionStorage; drop it from the address bar (screenshots, history).
if (/token=/.test(window.location.hash)) {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/dashboard`);
}

const root = createRoot(document.getElementById('root')!);
root.render(
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
