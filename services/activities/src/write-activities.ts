import { AppError, assertValid, withSpan } from '@cruddur/service-kit';
import type { ActivityDeps } from './deps';
import type { Activity, Reply } from './store';
import { isTtl, TTL_MILLIS } from './ttl';
import { activityView, replyView, type ActivityView, type ReplyView } from './views';

export const MAX_ACTIVITY_CHARS = 280;
export const MAX_REPLY_CHARS = 1024;

/** A message's text, trimmed; anything that is not a string counts as blank. */
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

function messageCodes(message: string, max: number) {
  // Characters (code points), as Cruddur counts them: an emoji is one, not two UTF-16 units.
  const chars = [...message].length;
  return [chars === 0 && 'message_blank', chars > max && 'message_exceed_max_chars'];
}

export interface NewActivity {
  message?: unknown;
  ttl?: unknown;
}

/** Posts an activity for `handle` that expires `ttl` from now. */
export function createActivity(deps: ActivityDeps, handle: string, input: NewActivity): Promise<ActivityView> {
  const message = text(input.message);
  const ttl = isTtl(input.ttl) ? input.ttl : undefined;
  return withSpan('activities.create', { 'app.user.handle': handle, 'app.ttl': typeof input.ttl === 'string' ? input.ttl : '' }, async (span) => {
    assertValid([...messageCodes(message, MAX_ACTIVITY_CHARS), ttl === undefined && 'ttl_blank']);
    const author = await deps.users.short(handle);
    const now = deps.now();
    const activity: Activity = {
      uuid: deps.newUuid(),
      handle: author.handle,
      message,
      likes_count: 0,
      reposts_count: 0,
      created_at: now,
      expires_at: new Date(now.getTime() + TTL_MILLIS[ttl!]!),
      replies: [],
    };
    deps.store.add(activity);
    span.setAttribute('app.activity.uuid', activity.uuid);
    return activityView(activity, new Map([[author.handle, author]]));
  });
}

/** Replies to a live activity as `handle`. */
export function createReply(deps: ActivityDeps, handle: string, activityUuid: string, input: { message?: unknown }): Promise<ReplyView> {
  const message = text(input.message);
  return withSpan('activities.reply', { 'app.user.handle': handle, 'app.activity.uuid': activityUuid }, async (span) => {
    assertValid(messageCodes(message, MAX_REPLY_CHARS));
    const activity = deps.store.get(activityUuid);
    if (!activity || activity.expires_at <= deps.now()) throw AppError.notFound(`no activity ${activityUuid}`);
    const author = await deps.users.short(handle);
    const reply: Reply = {
      uuid: deps.newUuid(),
      reply_to_activity_uuid: activity.uuid,
      handle: author.handle,
      message,
      likes_count: 0,
      reposts_count: 0,
      created_at: deps.now(),
    };
    activity.replies.push(reply);
    span.setAttribute('app.reply.uuid', reply.uuid);
    return replyView(reply, new Map([[author.handle, author]]));
  });
}
