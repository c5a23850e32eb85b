/** The text form of a UUID, any version: what a `uuid` column accepts. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `text` can name a row of a `uuid` column. A path's `/api/activities/no-such-thing`
 * is simply not found: asked of PostgreSQL, it would fail the query (22P02) instead.
 */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
