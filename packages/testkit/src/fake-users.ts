import { AppError } from '@cruddur/service-kit';
import type { UserShort, UsersClient } from '@cruddur/users-client';

/** The users of the Cruddur mock data, as the users service describes them. */
export const MOCK_USERS: Readonly<Record<string, UserShort>> = {
  andrewbrown: { uuid: 'u-andrew', handle: 'andrewbrown', display_name: 'Andrew Brown' },
  worf: { uuid: 'u-worf', handle: 'worf', display_name: 'Worf' },
  garek: { uuid: 'u-garek', handle: 'garek', display_name: 'Garek' },
};

/**
 * A users client over an in-memory set, for the unit tests of the services that resolve
 * handles: an unknown handle rejects with the 404 the users service gives. `lookups` records
 * the handles each batch lookup asked for.
 */
export function fakeUsersClient(users: Readonly<Record<string, UserShort>> = MOCK_USERS): UsersClient & { lookups: string[][] } {
  const lookups: string[][] = [];
  return {
    lookups,
    async short(handle) {
      const user = users[handle];
      if (!user) throw AppError.notFound(`no user @${handle}`);
      return user;
    },
    async lookup(handles) {
      const asked = [...handles];
      lookups.push(asked);
      return new Map(asked.flatMap((h) => (users[h] ? [[h, users[h]] as const] : [])));
    },
  };
}
