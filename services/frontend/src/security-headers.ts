import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of the app: scripts and styles only from this origin's files
 * (no inline script or style, no eval), network calls only here (the config, the span relay)
 * and to the gateway, no plugins, frames, forms elsewhere or <base>; DOM sinks that take
 * script need Trusted Types, which the app never feeds (React writes text, not HTML).
 */
export function contentSecurityPolicy(gatewayOrigin: string): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'connect-src': ["'self'", gatewayOrigin],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    'require-trusted-types-for': ["'script'"],
    'trusted-types': ["'none'"],
  };
}

/**
 * Security headers on every answer but the probes (which come first): the CSP above and
 * helmet's other defaults (nosniff, no referrer, same-origin opener and resources, no
 * framing). HSTS is left to whatever terminates TLS: this server speaks plain HTTP behind it.
 */
export function securityHeaders(gatewayUrl: string): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(new URL(gatewayUrl).origin) },
      strictTransportSecurity: false,
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
      next();
    },
  ];
}
