import type { MigrationBuilder } from '@cruddur/store-kit';

/**
 * Activities and their replies. Every read asks for live activities (expires_at after now),
 * newest first, a page at a time, so the indexes are in that order: the home feed walks
 * activities_newest and skips the expired, a user's page walks activities_by_handle_newest,
 * and the sweep of expired ones uses activities_expiry. Rows written in the same millisecond
 * keep the order they were written in (seq). replies_count is kept with the activity, so a feed
 * need not count every activity's replies; a reply goes when its activity does.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE activities.activities (
      uuid uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      handle text NOT NULL,
      message text NOT NULL,
      likes_count integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
      reposts_count integer NOT NULL DEFAULT 0 CHECK (reposts_count >= 0),
      replies_count integer NOT NULL DEFAULT 0 CHECK (replies_count >= 0),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX activities_newest ON activities.activities (created_at DESC, seq DESC);
    CREATE INDEX activities_by_handle_newest ON activities.activities (handle, created_at DESC, seq DESC);
    CREATE INDEX activities_expiry ON activities.activities (expires_at);
    CREATE TABLE activities.replies (
      uuid uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      reply_to_activity_uuid uuid NOT NULL REFERENCES activities.activities (uuid) ON DELETE CASCADE,
      handle text NOT NULL,
      message text NOT NULL,
      likes_count integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
      reposts_count integer NOT NULL DEFAULT 0 CHECK (reposts_count >= 0),
      created_at timestamptz NOT NULL
    );
    CREATE INDEX replies_newest_of_activity ON activities.replies (reply_to_activity_uuid, created_at DESC, seq DESC);`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE activities.replies; DROP TABLE activities.activities;');
}
