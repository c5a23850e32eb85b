import type { UsersClient } from '@cruddur/users-client';
import type { ActivityStore } from './store';

/** What the activity flows need from the world; tests pass their own. */
export interface ActivityDeps {
  store: ActivityStore;
  users: UsersClient;
  now: () => Date;
  newUuid: () => string;
}
