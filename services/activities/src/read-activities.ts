import { HandleParams, LIMITS } from '@cruddur/api-contract';
import { AppError, boundedTerm, parseInput, setResultLength, withSpan } from '@cruddur/service-kit';
import type { ActivityDeps } from './deps';
import { activityView, handlesIn, type ActivityView } from './views';

/** The home feed: the newest live activities, with their replies. */
export function homeActivities(deps: ActivityDeps): Promise<ActivityView[]> {
  return withSpan('activities.home', {}, async (span) => {
    const activities = await deps.store.live(deps.now(), LIMITS.feedActivities);
    const names = await deps.users.lookup(handlesIn(activities));
    setResultLength(span, activities.length);
    return activities.map((a) => activityView(a, names));
  });
}

/** One activity with its replies; expired or unknown is a 404. */
export function showActivity(deps: ActivityDeps, uuid: string): Promise<ActivityView> {
  return withSpan('activities.show', { 'app.activity.uuid': uuid }, async (span) => {
    const activity = await deps.store.get(uuid, deps.now());
    if (!activity) throw AppError.notFound(`no activity ${uuid}`);
    const names = await deps.users.lookup(handlesIn([activity]));
    setResultLength(span, activity.replies.length);
    return activityView(activity, names);
  });
}

/** A user's newest live activities; the handle must be one the users service knows. */
export function userActivities(deps: ActivityDeps, rawHandle: string): Promise<ActivityView[]> {
  return withSpan('activities.user_feed', { 'app.user.handle': rawHandle.trim() }, async (span) => {
    const { handle } = parseInput(HandleParams, { handle: rawHandle });
    const user = await deps.users.short(handle);
    const activities = await deps.store.liveBy(user.handle, deps.now(), LIMITS.feedActivities);
    const names = await deps.users.lookup(handlesIn(activities));
    setResultLength(span, activities.length);
    return activities.map((a) => activityView(a, names));
  });
}

/** Live activities whose message contains `term` (any case, literally): the search service asks this. */
export function findActivities(deps: ActivityDeps, term: string, limit: number): Promise<ActivityView[]> {
  return withSpan('activities.find', { 'app.search.term': boundedTerm(term), 'app.search.limit': limit }, async (span) => {
    const activities = await deps.store.liveContaining(term, deps.now(), limit);
    const names = await deps.users.lookup(handlesIn(activities));
    setResultLength(span, activities.length);
    return activities.map((a) => activityView(a, names));
  });
}
