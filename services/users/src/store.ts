import { hasNul, type UserShort } from '@cruddur/api-contract';
import type { Queryable } from '@cruddur/store-kit';

const SHORT = 'uuid, handle, display_name';

/** The users in PostgreSQL (schema `users`, migrations in ./migrations). */
export class UserStore {
  constructor(private readonly db: Queryable) {}

  /** One user's short profile; undefined for a handle nobody has. */
  async byHandle(handle: string): Promise<UserShort | undefined> {
    // No handle holds a NUL (PostgreSQL text cannot): asked, the query would fail instead.
    if (hasNul(handle)) return undefined;
    const { rows } = await this.db.query<UserShort>(`SELECT ${SHORT} FROM users.users WHERE handle = $1`, [handle]);
    return rows[0];
  }

  /** The known users among `handles`, in the order asked; unknown ones are left out. */
  async byHandles(handles: readonly string[]): Promise<UserShort[]> {
    const asked = handles.filter((handle) => !hasNul(handle));
    if (asked.length === 0) return [];
    const { rows } = await this.db.query<UserShort>(
      `SELECT ${SHORT} FROM unnest($1::text[]) WITH ORDINALITY AS asked (handle, position)
       JOIN users.users USING (handle) ORDER BY position`,
      [asked],
    );
    return rows;
  }
}
