import type { MigrationBuilder } from '@cruddur/store-kit';

/** The Cruddur mock users; the handles are the ones the other services' seed data refers to. */
export const SEED_USERS = [
  { uuid: '7c0f8dab-0d4e-4b2c-9d5b-cb61f5b5e1a1', handle: 'andrewbrown', display_name: 'Andrew Brown', bio: 'Cloud is fun!' },
  { uuid: '1f4f3a9e-6f5d-4b0e-8a53-6e2d8f3c0b72', handle: 'worf', display_name: 'Worf', bio: 'Son of Mogh.' },
  { uuid: 'b9d1e0c4-2a67-4e39-9b8e-5c1a7d4f6e03', handle: 'garek', display_name: 'Garek', bio: 'Just a simple tailor.' },
] as const;

/** The week-2 data, loaded once: this migration runs once per database, like any other. */
export async function up(pgm: MigrationBuilder): Promise<void> {
  for (const user of SEED_USERS) {
    await pgm.db.query('INSERT INTO users.users (uuid, handle, display_name, bio) VALUES ($1, $2, $3, $4)', [user.uuid, user.handle, user.display_name, user.bio]);
  }
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  await pgm.db.query('DELETE FROM users.users WHERE uuid = ANY($1::uuid[])', [SEED_USERS.map((user) => user.uuid)]);
}
