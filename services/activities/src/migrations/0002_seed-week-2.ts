import type { MigrationBuilder } from '@cruddur/store-kit';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Cruddur week-2 activities and replies; their times are offsets (ms) from when the data is first loaded. */
export const SEED_ACTIVITIES = [
  {
    uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
    handle: 'andrewbrown',
    message: 'Cloud is very fun!',
    likes_count: 5,
    reposts_count: 0,
    created_offset: -2 * DAY,
    expires_offset: 5 * DAY,
    replies: [
      { uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67', handle: 'worf', message: 'This post has no honor!', likes_count: 0, reposts_count: 0, created_offset: -2 * DAY },
    ],
  },
  {
    uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
    handle: 'worf',
    message: 'I am out of prune juice',
    likes_count: 0,
    reposts_count: 0,
    created_offset: -7 * DAY,
    expires_offset: 9 * DAY,
    replies: [],
  },
  {
    uuid: '248959df-3079-4947-b847-9e0892d1bab4',
    handle: 'garek',
    message: 'My dear doctor, I am just simple tailor',
    likes_count: 0,
    reposts_count: 0,
    created_offset: -1 * HOUR,
    expires_offset: 12 * HOUR,
    replies: [],
  },
  {
    uuid: 'c4f0b7d2-5b8e-4f21-a3c6-9e1d2f7a8b90',
    handle: 'andrewbrown',
    message: 'Cloud is fun!',
    likes_count: 0,
    reposts_count: 0,
    created_offset: -1 * DAY,
    expires_offset: 31 * DAY,
    replies: [],
  },
] as const;

const AT = (param: number) => `now() + $${param} * interval '1 millisecond'`;

/**
 * The week-2 data, loaded once (this migration runs once per database), its times relative to
 * that first load: `now()` is the migration transaction's start.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  for (const a of SEED_ACTIVITIES) {
    await pgm.db.query(
      `INSERT INTO activities.activities (uuid, handle, message, likes_count, reposts_count, replies_count, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, ${AT(7)}, ${AT(8)})`,
      [a.uuid, a.handle, a.message, a.likes_count, a.reposts_count, a.replies.length, a.created_offset, a.expires_offset],
    );
    for (const r of a.replies) {
      await pgm.db.query(
        `INSERT INTO activities.replies (uuid, reply_to_activity_uuid, handle, message, likes_count, reposts_count, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, ${AT(7)})`,
        [r.uuid, a.uuid, r.handle, r.message, r.likes_count, r.reposts_count, r.created_offset],
      );
    }
  }
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  await pgm.db.query('DELETE FROM activities.activities WHERE uuid = ANY($1::uuid[])', [SEED_ACTIVITIES.map((a) => a.uuid)]);
}
