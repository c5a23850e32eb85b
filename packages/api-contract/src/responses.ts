import { z } from 'zod';
import { LIMITS } from './limits';

// The JSON the Cruddur frontend renders; the services' views are typed by these.

const uuid = z.guid();
const count = z.number().int().min(0);
/** An instant as Date.prototype.toISOString() writes it (UTC, with milliseconds). */
const instant = z.iso.datetime();

export const UserShort = z
  .object({
    uuid,
    handle: z.string().meta({ examples: ['worf'] }),
    display_name: z.string().meta({ examples: ['Worf'] }),
  })
  .meta({ id: 'UserShort', description: "A user's short profile" });
export type UserShort = z.infer<typeof UserShort>;

/** What every post shows (a reply, an activity, a notification): who wrote what, when, and its counts. */
const post = {
  uuid,
  display_name: z.string(),
  handle: z.string(),
  message: z.string(),
  replies_count: count,
  reposts_count: count,
  likes_count: count,
  created_at: instant,
};

export const Reply = z
  .object({ ...post, reply_to_activity_uuid: uuid })
  .meta({ id: 'Reply', description: "A reply to an activity; its author's display name comes from the users service" });
export type Reply = z.infer<typeof Reply>;

export const Activity = z
  .object({
    ...post,
    replies_count: count.meta({ description: `How many replies the activity has (replies shows the newest ${LIMITS.repliesShown})` }),
    expires_at: instant,
    replies: z.array(Reply).max(LIMITS.repliesShown).meta({ description: 'The newest replies, oldest first' }),
  })
  .meta({ id: 'Activity', description: 'A live activity with its newest replies' });
export type Activity = z.infer<typeof Activity>;

export const Notification = z
  .object({
    ...post,
    expires_at: instant,
    replies: z.array(Reply).max(0).meta({ description: 'Always empty: the frontend renders a notification as an activity' }),
  })
  .meta({ id: 'Notification', description: 'A notification for the acting user, shaped like an activity' });
export type Notification = z.infer<typeof Notification>;

export const MessageGroup = z
  .object({
    uuid,
    display_name: z.string().meta({ description: "The other member's display name" }),
    handle: z.string().meta({ description: "The other member's handle" }),
    created_at: instant.meta({ description: 'When the conversation last moved' }),
    message: z.string().meta({ description: 'Its last message' }),
  })
  .meta({ id: 'MessageGroup', description: "One of the acting user's conversations" });
export type MessageGroup = z.infer<typeof MessageGroup>;

export const Message = z
  .object({
    uuid,
    display_name: z.string(),
    handle: z.string(),
    message: z.string(),
    created_at: instant,
  })
  .meta({ id: 'Message', description: 'A direct message' });
export type Message = z.infer<typeof Message>;

export const HealthCheck = z.object({ success: z.literal(true) }).meta({ id: 'HealthCheck' });

/** What the users service answers a batch lookup with (internal: the gateway does not route it). */
export const UserList = z.object({ users: z.array(UserShort) }).meta({ id: 'UserList' });
export type UserList = z.infer<typeof UserList>;
