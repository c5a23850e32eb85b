import { startService } from '@cruddur/service-kit';
import { usersRoutes } from './routes';
import { seedUsers } from './store';

startService({
  defaultPort: 4574,
  config: {},
  compose: () => ({ routes: usersRoutes(seedUsers()) }),
});
