import type { UserList, UserShort } from '@cruddur/api-contract';
import type { Upstream } from '@cruddur/service-kit';

export type { UserShort } from '@cruddur/api-contract';

export interface UsersClient {
  /** One user's short profile; an unknown handle rejects with the users service's 404. */
  short(handle: string): Promise<UserShort>;
  /** Short profiles of the known handles among `handles`, in one call, keyed by handle. */
  lookup(handles: Iterable<string>): Promise<Map<string, UserShort>>;
}

export function createUsersClient(users: Upstream): UsersClient {
  return {
    short: (handle) => users.get<UserShort>(`/api/users/@${encodeURIComponent(handle)}/short`),
    async lookup(handles) {
      const unique = [...new Set(handles)];
      if (unique.length === 0) return new Map();
      const { users: found } = await users.get<UserList>('/api/users', { handles: unique.join(',') });
      return new Map(found.map((user) => [user.handle, user]));
    },
  };
}
