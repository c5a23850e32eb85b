import { HandleList, HandleParams, type UserShort } from '@cruddur/api-contract';
import { AppError, parseInput, setResultLength, withSpan } from '@cruddur/service-kit';
import { beforeLookup } from './faults';
import type { UserStore } from './store';

/** One user's short profile; a blank handle is a 422, an unknown one a 404. */
export function findUserShort(store: UserStore, rawHandle: string): Promise<UserShort> {
  return withSpan('users.short', { 'app.user.handle': rawHandle.trim() }, async (span) => {
    const { handle } = parseInput(HandleParams, { handle: rawHandle });
    await beforeLookup(span);
    const user = await store.byHandle(handle);
    setResultLength(span, user ? 1 : 0);
    if (!user) throw AppError.notFound(`no user @${handle}`);
    return user;
  });
}

/** The known users among `handles`; unknown handles are left out, not an error. */
export function lookupUsers(store: UserStore, handles: string[]): Promise<UserShort[]> {
  return withSpan('users.lookup', { 'app.users.requested': handles.length }, async (span) => {
    const valid = parseInput(HandleList, handles);
    await beforeLookup(span);
    const found = await store.byHandles(valid);
    setResultLength(span, found.length);
    return found;
  });
}
