import type { UsersClient } from '@cruddur/users-client';
import type { MessageStore } from './store';

/** What the message flows need from the world; tests pass their own. */
export interface MessageDeps {
  store: MessageStore;
  users: UsersClient;
  now: () => Date;
  newUuid: () => string;
}
