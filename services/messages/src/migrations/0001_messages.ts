import type { MigrationBuilder } from '@cruddur/store-kit';

/**
 * Conversations between two users and their messages. A conversation's members are stored in
 * order (member_a ≤ member_b), so the pair is unique whichever of them writes first, and
 * last_message_at orders a user's conversations without reading their messages. Messages
 * written in the same millisecond keep the order they were written in (seq). The indexes
 * serve the reads: a user's conversations (by either member) and a conversation's newest
 * messages.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE messages.message_groups (
      uuid uuid PRIMARY KEY,
      member_a text NOT NULL,
      member_b text NOT NULL,
      created_at timestamptz NOT NULL,
      last_message_at timestamptz NOT NULL,
      CHECK (member_a <= member_b),
      UNIQUE (member_a, member_b)
    );
    CREATE INDEX message_groups_member_b ON messages.message_groups (member_b);
    CREATE TABLE messages.messages (
      uuid uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      message_group_uuid uuid NOT NULL REFERENCES messages.message_groups (uuid) ON DELETE CASCADE,
      handle text NOT NULL,
      message text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX messages_group_newest ON messages.messages (message_group_uuid, created_at DESC, seq DESC);`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE messages.messages; DROP TABLE messages.message_groups;');
}
