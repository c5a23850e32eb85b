/**
 * What the browser app learns from GET /config.json before it starts: everything that
 * differs between a local run and a cluster, so one build of the app serves both and no
 * setting has to be written into the page (the Content-Security-Policy allows no inline
 * script). The web app imports this file too (this type and the constants below): keep it
 * free of Node imports.
 */
export interface BrowserConfig {
  /** The gateway's origin as the browser reaches it: the only origin the app calls, and the only one its fetch spans send traceparent to. */
  gatewayUrl: string;
  /** Where the browser's OTLP/JSON spans go: this server's same-origin relay. */
  tracesUrl: string;
  /** The share of the browser's root spans kept (0-1); a kept span keeps its backend trace, which samples parent-based. */
  sampleRatio: number;
  /** service.version of the browser's spans: this package's version. */
  serviceVersion: string;
}

/** The path the relay listens on, the same as the collector's OTLP/HTTP traces path. */
export const TRACES_PATH = '/v1/traces';

/** The browser's service.name, the only one the relay takes: told apart from the frontend server's own ("frontend"). */
export const BROWSER_SERVICE_NAME = 'frontend-web';
