import { httpUrl, startService, z } from '@cruddur/service-kit';
import { gatewayMiddleware } from './middleware';
import { gatewayRoutes } from './routes';
import { createUpstreams, upstreamConfig } from './upstreams';

startService({
  defaultPort: 4567,
  // The public entry: it takes no identity from its clients (it sets x-cruddur-user itself).
  defaultHost: '0.0.0.0',
  config: {
    ...upstreamConfig,
    /** The Cruddur frontend's origin, allowed by CORS. */
    FRONTEND_URL: httpUrl('http://localhost:3000'),
    /** Who is acting until Cruddur has authentication. */
    ACTING_USER_HANDLE: z.string().regex(/^[a-z0-9_]{1,64}$/i, 'must be a handle like andrewbrown').default('andrewbrown'),
  },
  compose: (config) => ({
    before: gatewayMiddleware(config),
    routes: gatewayRoutes(createUpstreams(config), config.ACTING_USER_HANDLE),
  }),
});
