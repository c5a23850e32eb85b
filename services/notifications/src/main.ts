import { startService } from '@cruddur/service-kit';
import { openStore, reportReachability, storeConfig } from '@cruddur/store-kit';
import { notificationsRoutes } from './routes';
import { NotificationStore } from './store';

startService({
  defaultPort: 4572,
  config: storeConfig('notifications'),
  compose: (config, logger) => {
    const store = openStore('notifications', config, logger);
    void reportReachability(store, config, logger);
    return { routes: notificationsRoutes(new NotificationStore(store), () => new Date()), onDrained: () => store.close() };
  },
});
