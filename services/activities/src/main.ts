import { createUpstream, httpUrl, millis, startService } from '@cruddur/service-kit';
import { openStore, reportReachability, storeConfig } from '@cruddur/store-kit';
import { createUsersClient } from '@cruddur/users-client';
import { randomUUID } from 'node:crypto';
import { errorRateFault } from './faults';
import { activitiesRoutes } from './routes';
import { ActivityStore } from './store';

startService({
  defaultPort: 4571,
  config: {
    ...storeConfig('activities'),
    USERS_URL: httpUrl('http://127.0.0.1:4574'),
    USERS_TIMEOUT_MS: millis(2000),
  },
  compose: (config, logger) => {
    const users = createUsersClient(createUpstream({ name: 'users', baseURL: config.USERS_URL, timeoutMs: config.USERS_TIMEOUT_MS }));
    const store = openStore('activities', config, logger);
    void reportReachability(store, config, logger);
    const deps = { store: new ActivityStore(store, (error) => logger.warn({ err: error }, 'sweeping expired activities failed; the next sweep tries again')), users, now: () => new Date(), newUuid: randomUUID };
    return { before: [errorRateFault], routes: activitiesRoutes(deps), onDrained: () => store.close() };
  },
});
