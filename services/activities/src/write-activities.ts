import { NewActivity, NewReply } from '@cruddur/api-contract';
import { AppError, parseInput, withSpan } from '@cruddur/service-kit';
import { isUuid } from '@cruddur/store-kit';
import type { ActivityDeps } from './deps';
import type { Activity, ReplyToWrite } from './store';
import { TTL_MILLIS } from './ttl';
import { activityView, replyView, type ActivityView, type ReplyView } from './views';

/** The TTL a client asked for, for the span, whatever it is (bounded like every attribute). */
const askedTtl = (input: unknown) => {
  const ttl = (input as { ttl?: unknown } | null)?.ttl;
  return typeof ttl === 'string' ? ttl : '';
};

/** Posts an activity for `handle` that expires `ttl` from now; `input` is the request body, checked against the contract. */
export function createActivity(deps: ActivityDeps, handle: string, input: unknown): Promise<ActivityView> {
  return withSpan('activities.create', { 'app.user.handle': handle, 'app.ttl': askedTtl(input) }, async (span) => {
    const { message, ttl } = parseInput(NewActivity, input);
    const author = await deps.users.short(handle);
    const now = deps.now();
    const activity: Activity = {
      uuid: deps.newUuid(),
      handle: author.handle,
      message,
      likes_count: 0,
      reposts_count: 0,
      replies_count: 0,
      created_at: now,
      expires_at: new Date(now.getTime() + TTL_MILLIS[ttl]),
      replies: [],
    };
    await deps.store.add(activity);
    span.setAttribute('app.activity.uuid', activity.uuid);
    return activityView(activity, new Map([[author.handle, author]]));
  });
}

/** Replies to a live activity as `handle`; `input` is the request body. */
export function createReply(deps: ActivityDeps, handle: string, activityUuid: string, input: unknown): Promise<ReplyView> {
  return withSpan('activities.reply', { 'app.user.handle': handle, 'app.activity.uuid': activityUuid }, async (span) => {
    const { message } = parseInput(NewReply, input);
    const missing = () => AppError.notFound(`no activity ${activityUuid}`);
    if (!isUuid(activityUuid)) throw missing();
    const author = await deps.users.short(handle);
    const reply: ReplyToWrite = { uuid: deps.newUuid(), reply_to_activity_uuid: activityUuid, handle: author.handle, message, created_at: deps.now() };
    // Written only if the activity is live at the reply's time, checked in the same statement.
    if (!(await deps.store.reply(reply))) throw missing();
    span.setAttribute('app.reply.uuid', reply.uuid);
    return replyView({ ...reply, likes_count: 0, reposts_count: 0 }, new Map([[author.handle, author]]));
  });
}
