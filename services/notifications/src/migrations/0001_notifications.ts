import type { MigrationBuilder } from '@cruddur/store-kit';

/**
 * Notifications, shaped like the activities the frontend renders them as. A user's live ones
 * are read newest first: the index serves that read, and expiry is a filter on it.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE notifications.notifications (
      uuid uuid PRIMARY KEY,
      recipient text NOT NULL,
      display_name text NOT NULL,
      handle text NOT NULL,
      message text NOT NULL,
      likes_count integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
      replies_count integer NOT NULL DEFAULT 0 CHECK (replies_count >= 0),
      reposts_count integer NOT NULL DEFAULT 0 CHECK (reposts_count >= 0),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX notifications_recipient_newest ON notifications.notifications (recipient, created_at DESC);`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE notifications.notifications');
}
