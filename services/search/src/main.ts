import { createUpstream, httpUrl, millis, startService } from '@cruddur/service-kit';
import { searchRoutes } from './routes';

startService({
  defaultPort: 4575,
  config: {
    ACTIVITIES_URL: httpUrl('http://127.0.0.1:4571'),
    ACTIVITIES_TIMEOUT_MS: millis(2000),
  },
  compose: (config) => ({
    routes: searchRoutes(createUpstream({ name: 'activities', baseURL: config.ACTIVITIES_URL, timeoutMs: config.ACTIVITIES_TIMEOUT_MS })),
  }),
});
