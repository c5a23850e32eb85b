import { startService, z } from '@cruddur/service-kit';
import { gatewayMiddleware } from './middleware';
import { gatewayRoutes } from './routes';
import { createUpstreams, upstreamConfig } from './upstreams';

/** A comma-separated list of http(s) URLs, each without its trailing slash (as httpUrl gives one). */
const urlList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) => list.split(',').map((url) => url.trim().replace(/\/+$/, '')))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http:// or https:// URLs, separated by commas' })).min(1));

startService({
  defaultPort: 4567,
  // The public entry: it takes no identity from its clients (it sets x-cruddur-user itself).
  defaultHost: '0.0.0.0',
  config: {
    ...upstreamConfig,
    /** The Cruddur frontend's origins, allowed by CORS: one URL, or several separated by commas. */
    FRONTEND_URL: urlList('http://localhost:3000'),
    /** Who is acting until Cruddur has authentication. */
    ACTING_USER_HANDLE: z.string().regex(/^[a-z0-9_]{1,64}$/i, 'must be a handle like andrewbrown').default('andrewbrown'),
  },
  compose: (config) => ({
    before: gatewayMiddleware(config),
    routes: gatewayRoutes(createUpstreams(config), config.ACTING_USER_HANDLE),
  }),
});
