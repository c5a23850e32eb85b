import type { Upstream } from '@cruddur/service-kit';

/** A user as other services see one: the users service's short profile. */
export interface UserShort {
  uuid: string;
  handle: string;
  display_name: string;
}

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
      const { users: found } = await users.get<{ users: UserShort[] }>('/api/users', { handles: unique.join(',') });
      return new Map(found.map((user) => [user.handle, user]));
    },
  };
}
