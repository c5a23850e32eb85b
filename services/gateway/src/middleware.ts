import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface GatewayMiddlewareConfig {
  /** The Cruddur frontend's origin, the one origin CORS allows. */
  FRONTEND_URL: string;
}

/** What runs before the gateway's body parser: security headers, then CORS for the frontend. */
export function gatewayMiddleware(config: GatewayMiddlewareConfig): RequestHandler[] {
  return [
    helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }),
    cors({
      // A list, not a string: cors then names the frontend only to the frontend. Given a string,
      // it sends that origin in Access-Control-Allow-Origin to every caller, whatever its origin.
      origin: [config.FRONTEND_URL],
      methods: ['OPTIONS', 'GET', 'HEAD', 'POST'],
      // Browser tracing sends traceparent/tracestate/baggage, so preflights must allow them.
      allowedHeaders: ['content-type', 'if-modified-since', 'authorization', 'traceparent', 'tracestate', 'baggage'],
      exposedHeaders: ['location', 'link'],
    }),
  ];
}
