const HOUR = 3_600_000;

/** The lifetimes a Cruddur activity may be given, as the frontend offers them. */
export const TTL_MILLIS: Readonly<Record<string, number>> = {
  '30-days': 30 * 24 * HOUR,
  '7-days': 7 * 24 * HOUR,
  '3-days': 3 * 24 * HOUR,
  '1-day': 24 * HOUR,
  '12-hours': 12 * HOUR,
  '3-hours': 3 * HOUR,
  '1-hour': HOUR,
};

export function isTtl(value: unknown): value is string {
  return typeof value === 'string' && Object.hasOwn(TTL_MILLIS, value);
}
