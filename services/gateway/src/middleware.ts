import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface GatewayMiddlewareConfig {
  /** The Cruddur frontend's origins (one, or several: the same page at http://localhost:3000 and http://127.0.0.1:3000), the only ones CORS allows. */
  FRONTEND_URL: string[];
}

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours): each API path pays its preflight once, not on every call. */
const PREFLIGHT_MAX_AGE_S = 600;

/** What runs before the gateway's body parser: security headers, then CORS for the frontend. */
export function gatewayMiddleware(config: GatewayMiddlewareConfig): RequestHandler[] {
  const frontends = new Set(config.FRONTEND_URL);
  return [
    helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }),
    cors({
      // A list, not a string: cors then names the frontend only to the frontend. Given a string,
      // it sends that origin in Access-Control-Allow-Origin to every caller, whatever its origin.
      origin: [...frontends],
      methods: ['OPTIONS', 'GET', 'HEAD', 'POST'],
      // Browser tracing sends traceparent/tracestate/baggage, so preflights must allow them.
      allowedHeaders: ['content-type', 'if-modified-since', 'authorization', 'traceparent', 'tracestate', 'baggage'],
      exposedHeaders: ['location', 'link'],
      maxAge: PREFLIGHT_MAX_AGE_S,
    }),
    // The frontend's fetch spans read the request's timings (connection, request sent, first
    // byte) from the browser's Resource Timing, which hides them from a cross-origin page
    // unless the answer allows it: the network time shows on the browser's span only then.
    (req, res, next) => {
      const origin = req.get('origin');
      if (origin && frontends.has(origin)) res.setHeader('Timing-Allow-Origin', origin);
      next();
    },
  ];
}
