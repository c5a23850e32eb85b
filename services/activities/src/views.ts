import { LIMITS, type Activity as ActivityView, type Reply as ReplyView, type UserShort } from '@cruddur/api-contract';
import type { Activity, Reply } from './store';

// The JSON shapes the Cruddur frontend renders are the API contract's.
export type { ActivityView, ReplyView };

export type DisplayNames = Map<string, UserShort>;

/** Every handle an activity list shows, for one batch lookup of display names. */
export function handlesIn(activities: Activity[]): Set<string> {
  const handles = new Set<string>();
  for (const activity of activities) {
    handles.add(activity.handle);
    for (const reply of activity.replies.slice(-LIMITS.repliesShown)) handles.add(reply.handle);
  }
  return handles;
}

// A handle the users service no longer knows still renders, under its handle.
const nameOf = (names: DisplayNames, handle: string) => names.get(handle)?.display_name ?? handle;

export function replyView(reply: Reply, names: DisplayNames): ReplyView {
  return {
    uuid: reply.uuid,
    reply_to_activity_uuid: reply.reply_to_activity_uuid,
    display_name: nameOf(names, reply.handle),
    handle: reply.handle,
    message: reply.message,
    replies_count: 0,
    reposts_count: reply.reposts_count,
    likes_count: reply.likes_count,
    created_at: reply.created_at.toISOString(),
  };
}

export function activityView(activity: Activity, names: DisplayNames): ActivityView {
  return {
    uuid: activity.uuid,
    display_name: nameOf(names, activity.handle),
    handle: activity.handle,
    message: activity.message,
    replies_count: activity.replies_count,
    reposts_count: activity.reposts_count,
    likes_count: activity.likes_count,
    created_at: activity.created_at.toISOString(),
    expires_at: activity.expires_at.toISOString(),
    replies: activity.replies.slice(-LIMITS.repliesShown).map((reply) => replyView(reply, names)),
  };
}
