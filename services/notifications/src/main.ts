import { startService } from '@cruddur/service-kit';
import { notificationsRoutes } from './routes';
import { seedNotifications } from './store';

startService({
  defaultPort: 4572,
  config: {},
  compose: () => ({ routes: notificationsRoutes(seedNotifications(new Date()), () => new Date()) }),
});
