import { httpUrl, startService, z } from '@cruddur/service-kit';
import cors from 'cors';
import helmet from 'helmet';
import { gatewayRoutes } from './routes';
import { createUpstreams, upstreamConfig } from './upstreams';

startService({
  defaultPort: 4567,
  config: {
    ...upstreamConfig,
    /** The Cruddur frontend's origin, allowed by CORS. */
    FRONTEND_URL: httpUrl('http://localhost:3000'),
    /** Who is acting until Cruddur has authentication. */
    ACTING_USER_HANDLE: z.string().regex(/^[a-z0-9_]{1,64}$/i, 'must be a handle like andrewbrown').default('andrewbrown'),
  },
  compose: (config) => ({
    before: [
      helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } }),
      cors({
        origin: config.FRONTEND_URL,
        methods: ['OPTIONS', 'GET', 'HEAD', 'POST'],
        // Browser tracing sends traceparent/tracestate/baggage, so preflights must allow them.
        allowedHeaders: ['content-type', 'if-modified-since', 'authorization', 'traceparent', 'tracestate', 'baggage'],
        exposedHeaders: ['location', 'link'],
      }),
    ],
    routes: gatewayRoutes(createUpstreams(config), config.ACTING_USER_HANDLE),
  }),
});
