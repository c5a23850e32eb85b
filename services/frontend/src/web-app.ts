import express, { type Express, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where Vite puts the bundles: every file name carries a hash of its content. */
const ASSETS = '/assets';

/** Paths the app never routes: a miss there is service-kit's 404 (or 405), not the app's page. */
const NOT_APP_PATHS = [`${ASSETS}/`, '/api/', '/v1/'];

/** How long a browser keeps a hashed bundle: it never changes under its name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page and its config: always asked again (a 304 when unchanged), so a deploy takes effect on the next load. */
const REVALIDATE = 'no-cache';
/** Other files of the build (the icon): an hour. */
const SHORT = 'public, max-age=3600';

export interface WebApp {
  /** Mounts the hashed bundles under /assets, the build's other files, and index.html for every app path. */
  mount(app: Express): void;
}

/**
 * The built app in `root`, served as a single-page app: bundles with a year's immutable
 * caching, any other path a browser may open (`/`, `/@worf`, `/messages/@garek`) answered
 * with index.html, which the app routes itself. index.html is read from disk on each load
 * (with its ETag, so mostly a 304), so a build made while the server runs (a dev loop's
 * `vite build --watch`) is what the next load gets. Fails at start-up when the build is
 * missing, rather than serving 404s.
 */
export function webApp(root: string): WebApp {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`no built web app at ${root} (index.html is missing): build it with "make build" or set WEB_ROOT`);
  }
  const assets = express.static(join(root, ASSETS.slice(1)), {
    index: false,
    redirect: false,
    setHeaders: (res) => res.setHeader('Cache-Control', IMMUTABLE),
  });
  const files = express.static(root, {
    index: false,
    redirect: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.endsWith('.html') ? REVALIDATE : SHORT),
  });
  const page: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (NOT_APP_PATHS.some((prefix) => req.path.startsWith(prefix))) return next();
    res.sendFile(indexFile, { cacheControl: false, headers: { 'Cache-Control': REVALIDATE } }, (error) => error && next(error));
  };
  return {
    mount: (app) => {
      app.use(ASSETS, assets);
      app.use(files);
      // Last: what no file answered is a path of the app (or a 404 under NOT_APP_PATHS).
      app.use(page);
    },
  };
}
