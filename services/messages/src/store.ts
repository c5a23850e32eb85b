import type { Queryable } from '@cruddur/store-kit';
import { SEED_MESSAGE_GROUPS } from './migrations/0002_seed-week-2';

export interface Message {
  uuid: string;
  /** The sender's handle. */
  handle: string;
  message: string;
  created_at: Date;
}

/** A conversation between two users, with its last message (none in a conversation just begun). */
export interface MessageGroup {
  uuid: string;
  members: [string, string];
  created_at: Date;
  last?: { message: string; created_at: Date };
}

/** A message to send, and the conversation's uuid should this one start it. */
export interface Outgoing {
  messageUuid: string;
  newGroupUuid: string;
  from: string;
  to: string;
  message: string;
  at: Date;
}

/** The week-2 conversations with their times relative to `now` (what the seed migration loads, for tests on a fixed clock). */
export function seedMessageGroups(now: Date): Array<{ uuid: string; members: [string, string]; created_at: Date; messages: Message[] }> {
  const at = (offset: number) => new Date(now.getTime() + offset);
  return SEED_MESSAGE_GROUPS.map((group) => ({
    uuid: group.uuid,
    members: [group.members[0], group.members[1]],
    created_at: at(group.created_offset),
    messages: group.messages.map((m) => ({ uuid: m.uuid, handle: m.handle, message: m.message, created_at: at(m.created_offset) })),
  }));
}

interface GroupRow {
  uuid: string;
  member_a: string;
  member_b: string;
  created_at: Date;
  last_message: string | null;
  last_message_at: Date | null;
}

/** The conversations in PostgreSQL (schema `messages`, migrations in ./migrations). A pair's members are stored in order, whoever wrote first. */
export class MessageStore {
  constructor(private readonly db: Queryable) {}

  /** `handle`'s conversations, most recently active first, each with its last message. */
  async groupsOf(handle: string): Promise<MessageGroup[]> {
    const { rows } = await this.db.query<GroupRow>(
      `SELECT g.uuid, g.member_a, g.member_b, g.created_at, last.message AS last_message, last.created_at AS last_message_at
       FROM messages.message_groups g
       LEFT JOIN LATERAL (
         SELECT message, created_at FROM messages.messages m
         WHERE m.message_group_uuid = g.uuid ORDER BY created_at DESC, seq DESC LIMIT 1
       ) last ON true
       WHERE g.member_a = $1 OR g.member_b = $1
       ORDER BY g.last_message_at DESC`,
      [handle],
    );
    return rows.map((row) => ({
      uuid: row.uuid,
      members: [row.member_a, row.member_b],
      created_at: row.created_at,
      ...(row.last_message !== null && row.last_message_at !== null ? { last: { message: row.last_message, created_at: row.last_message_at } } : {}),
    }));
  }

  /** The uuid of the conversation between `a` and `b` (either order), if they have one. */
  async between(a: string, b: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ uuid: string }>(
      'SELECT uuid FROM messages.message_groups WHERE member_a = LEAST($1::text, $2::text) AND member_b = GREATEST($1::text, $2::text)',
      [a, b],
    );
    return rows[0]?.uuid;
  }

  /** A conversation's newest `limit` messages, oldest first. */
  async newestMessages(groupUuid: string, limit: number): Promise<Message[]> {
    const { rows } = await this.db.query<Message>(
      `SELECT uuid, handle, message, created_at FROM (
         SELECT uuid, handle, message, created_at, seq FROM messages.messages
         WHERE message_group_uuid = $1 ORDER BY created_at DESC, seq DESC LIMIT $2
       ) newest ORDER BY created_at, seq`,
      [groupUuid, limit],
    );
    return rows;
  }

  /**
   * Sends a message: into the pair's conversation, started (with `newGroupUuid`) if they had
   * none, in one statement, so two first messages at once still make one conversation.
   * Returns the conversation's uuid.
   */
  async send(outgoing: Outgoing): Promise<string> {
    const { messageUuid, newGroupUuid, from, to, message, at } = outgoing;
    const { rows } = await this.db.query<{ message_group_uuid: string }>(
      `WITH conversation AS (
         INSERT INTO messages.message_groups (uuid, member_a, member_b, created_at, last_message_at)
         VALUES ($1, LEAST($2::text, $3::text), GREATEST($2::text, $3::text), $4, $4)
         ON CONFLICT (member_a, member_b)
           DO UPDATE SET last_message_at = GREATEST(message_groups.last_message_at, EXCLUDED.last_message_at)
         RETURNING uuid
       )
       INSERT INTO messages.messages (uuid, message_group_uuid, handle, message, created_at)
       SELECT $5, uuid, $2, $6, $4 FROM conversation
       RETURNING message_group_uuid`,
      [newGroupUuid, from, to, at, messageUuid, message],
    );
    return rows[0]!.message_group_uuid;
  }
}
