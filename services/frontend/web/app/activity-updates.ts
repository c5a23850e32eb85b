import type { Activity, Reply } from '../api/contract';

/** The activity with a reply the person just posted added last, its count one more; any other activity as it was. */
export function withReply(activity: Activity, reply: Reply): Activity {
  if (activity.uuid !== reply.reply_to_activity_uuid) return activity;
  return { ...activity, replies: [...activity.replies, reply], replies_count: activity.replies_count + 1 };
}
