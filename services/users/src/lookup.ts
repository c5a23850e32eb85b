import type { UserShort } from '@cruddur/users-client';
import { AppError, assertValid, setResultLength, withSpan } from '@cruddur/service-kit';
import type { UserStore } from './store';

/** How many handles one lookup may ask for. */
export const MAX_LOOKUP_HANDLES = 100;

function short({ uuid, handle, display_name }: UserShort): UserShort {
  return { uuid, handle, display_name };
}

export function findUserShort(store: UserStore, rawHandle: string): Promise<UserShort> {
  const handle = rawHandle.trim();
  return withSpan('users.short', { 'app.user.handle': handle }, (span) => {
    assertValid([handle.length === 0 && 'user_handle_blank']);
    const user = store.get(handle);
    setResultLength(span, user ? 1 : 0);
    if (!user) throw AppError.notFound(`no user @${handle}`);
    return short(user);
  });
}

/** The known users among `handles`; unknown handles are left out, not an error. */
export function lookupUsers(store: UserStore, handles: string[]): Promise<UserShort[]> {
  return withSpan('users.lookup', { 'app.users.requested': handles.length }, (span) => {
    assertValid([handles.length > MAX_LOOKUP_HANDLES && 'user_handles_exceed_max']);
    const found = handles.flatMap((handle) => {
      const user = store.get(handle);
      return user ? [short(user)] : [];
    });
    setResultLength(span, found.length);
    return found;
  });
}
