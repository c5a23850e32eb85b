import type { MigrationBuilder } from '@cruddur/store-kit';

const MINUTE = 60_000;

/** The Cruddur week-2 conversations; their times are offsets (ms) from when the data is first loaded. */
export const SEED_MESSAGE_GROUPS = [
  {
    uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552',
    members: ['andrewbrown', 'worf'],
    created_offset: -60 * MINUTE,
    messages: [
      { uuid: '4e81c06a-db0f-4281-b4cc-98208537772a', handle: 'andrewbrown', message: 'Cloud is fun!', created_offset: -60 * MINUTE },
      { uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67', handle: 'andrewbrown', message: 'This platform is great!', created_offset: -30 * MINUTE },
    ],
  },
  {
    uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac',
    members: ['andrewbrown', 'garek'],
    created_offset: -120 * MINUTE,
    messages: [{ uuid: 'f1c8d3b2-7e6a-4d59-a0b4-3c2e1d0f9a87', handle: 'garek', message: 'Have you tried the replicator?', created_offset: -90 * MINUTE }],
  },
] as const;

const AT = (param: number) => `now() + $${param} * interval '1 millisecond'`;

/**
 * The week-2 data, loaded once (this migration runs once per database), its times relative to
 * that first load: `now()` is the migration transaction's start.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  for (const group of SEED_MESSAGE_GROUPS) {
    const [a, b] = [...group.members].sort();
    const last = Math.max(group.created_offset, ...group.messages.map((m) => m.created_offset));
    await pgm.db.query(
      `INSERT INTO messages.message_groups (uuid, member_a, member_b, created_at, last_message_at) VALUES ($1, $2, $3, ${AT(4)}, ${AT(5)})`,
      [group.uuid, a, b, group.created_offset, last],
    );
    for (const m of group.messages) {
      await pgm.db.query(`INSERT INTO messages.messages (uuid, message_group_uuid, handle, message, created_at) VALUES ($1, $2, $3, $4, ${AT(5)})`, [
        m.uuid,
        group.uuid,
        m.handle,
        m.message,
        m.created_offset,
      ]);
    }
  }
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  await pgm.db.query('DELETE FROM messages.message_groups WHERE uuid = ANY($1::uuid[])', [SEED_MESSAGE_GROUPS.map((g) => g.uuid)]);
}
