import type { MigrationBuilder } from '@cruddur/store-kit';

/** The users. Every other service refers to one by handle, so handles are unique and looked up by. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE users.users (
      uuid uuid PRIMARY KEY,
      handle text NOT NULL UNIQUE,
      display_name text NOT NULL,
      bio text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE users.users');
}
