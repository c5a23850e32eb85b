import { startService } from '@cruddur/service-kit';
import { openStore, reportReachability, storeConfig } from '@cruddur/store-kit';
import { usersRoutes } from './routes';
import { UserStore } from './store';

startService({
  defaultPort: 4574,
  config: storeConfig('users'),
  compose: (config, logger) => {
    const store = openStore('users', config, logger);
    void reportReachability(store, config, logger);
    return { routes: usersRoutes(new UserStore(store)), onDrained: () => store.close() };
  },
});
