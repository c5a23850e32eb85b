import type { MigrationBuilder } from '@cruddur/store-kit';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Cruddur week-2 notifications; their times are offsets (ms) from when the data is first loaded. */
export const SEED_NOTIFICATIONS = [
  {
    uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
    recipient: 'andrewbrown',
    display_name: 'Worf',
    handle: 'worf',
    message: 'This post has no honor!',
    likes_count: 5,
    replies_count: 1,
    reposts_count: 0,
    created_offset: -2 * DAY,
    expires_offset: 5 * DAY,
  },
  {
    uuid: '2b1e0f7c-9a4d-4c3e-8f6a-1d2c3b4a5e6f',
    recipient: 'andrewbrown',
    display_name: 'Garek',
    handle: 'garek',
    message: 'My dear doctor, I am just simple tailor',
    likes_count: 0,
    replies_count: 0,
    reposts_count: 1,
    created_offset: -1 * HOUR,
    expires_offset: 12 * HOUR,
  },
] as const;

/**
 * The week-2 data, loaded once (this migration runs once per database), its times relative to
 * that first load: `now()` is the migration transaction's start.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  for (const n of SEED_NOTIFICATIONS) {
    await pgm.db.query(
      `INSERT INTO notifications.notifications
         (uuid, recipient, display_name, handle, message, likes_count, replies_count, reposts_count, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9 * interval '1 millisecond', now() + $10 * interval '1 millisecond')`,
      [n.uuid, n.recipient, n.display_name, n.handle, n.message, n.likes_count, n.replies_count, n.reposts_count, n.created_offset, n.expires_offset],
    );
  }
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  await pgm.db.query('DELETE FROM notifications.notifications WHERE uuid = ANY($1::uuid[])', [SEED_NOTIFICATIONS.map((n) => n.uuid)]);
}
