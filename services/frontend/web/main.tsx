import { startTracing } from '#tracing';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { ApiProvider } from './app/api-context';
import { App } from './app/App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { loadBrowserConfig } from './config';
import './styles.css';

// The page's one script (no inline script: the CSP allows none). The config first, then
// tracing, so the first API call is already traced; then the app.
const root = createRoot(document.getElementById('root')!);

loadBrowserConfig().then(
  (config) => {
    startTracing(config);
    root.render(
      <StrictMode>
        <ErrorBoundary>
          <ApiProvider client={createApiClient(config.gatewayUrl)}>
            <App />
          </ApiProvider>
        </ErrorBoundary>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <div className="notice notice-failure" role="alert" data-failure="config">
        <p className="notice-title">Cruddur could not start. Reload the page to try again.</p>
        <ul className="notice-details">
          <li>{error instanceof Error ? error.message : String(error)}</li>
        </ul>
      </div>,
    );
  },
);
